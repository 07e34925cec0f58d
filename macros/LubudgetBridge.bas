Attribute VB_Name = "LubudgetBridge"
' The bridge with no COM call-back (WPS, LibreOffice, Python without pywin32). The workbook is saved
' to a copy, "python -m lubudget_xl.excel.nocom" runs hidden on it and is waited for, and the script
' it writes is replayed here: notes, fills, the result sheet with links, messages. The Python side is
' the same bridge code as in Excel, so marks and texts are the same. Script format:
' lubudget_xl/excel/script_port.py. ASCII only: texts arrive as hex UTF-16 (UnHexW).
Option Explicit

Private Const TIMEOUT_SECONDS As Long = 300
Private Const XL_NONE As Long = -4142
Private Const XL_SHEET_HIDDEN As Long = 0

Public LastError As String ' why the last RunAction did not finish (English/Python text, for the detail line)

' Runs one action of lubudget_xl.excel.entry on a saved copy of Wb and replays its script.
' Returns False when nothing usable came back (no Python, a failed run, no copy): the caller says so.
Public Function RunAction(ByVal Wb As Object, ByVal action As String, ByVal argument As String) As Boolean
    Dim folder As String, stem As String, copyPath As String, scriptPath As String, bookPath As String
    Dim sheetName As String, cellName As String, finished As Boolean, stage As String, arguments As String
    Dim ran As Boolean
    On Error GoTo Failed
    LastError = ""
    stage = "copy"
    folder = TempFolder()
    Randomize
    stem = folder & Application.PathSeparator & "lubudget_" & Hex$(Int(Rnd * 2147483647#)) & Hex$(Int(Rnd * 65535#))
    copyPath = stem & CopySuffix(Wb)
    scriptPath = stem & ".ops"
    If Not SaveCopy(Wb, copyPath) Then
        LastError = "no copy"
        GoTo Done
    End If
    stage = "run"
    bookPath = BookFullName(Wb)
    sheetName = Wb.ActiveSheet.Name
    cellName = "A1"
    On Error Resume Next
    cellName = Application.ActiveCell.Address(False, False)
    On Error GoTo Failed
    arguments = action & " " & LubudgetMain.HexW(copyPath) & " " & LubudgetMain.HexW(scriptPath) & " " & _
                LubudgetMain.HexW(bookPath) & " " & LubudgetMain.HexW(sheetName) & " " & cellName
    If Len(argument) > 0 Then arguments = arguments & " " & argument
    ran = RunChild(arguments, stem)
    If ran Then
        stage = "marks"
        finished = ReplayScript(Wb, scriptPath)
    End If
Done:
    On Error Resume Next
    LubudgetMain.ShowStatus ""
    RunAction = finished
    If Len(Environ("LUBUDGET_KEEP_TEMP")) > 0 Then Exit Function ' support: look at the copy and the script
    If Len(Dir$(copyPath)) > 0 Then Kill copyPath
    If Len(Dir$(scriptPath)) > 0 Then Kill scriptPath
    If Len(Dir$(stem & ".rc")) > 0 Then Kill stem & ".rc"
    If Len(Dir$(stem & ".err")) > 0 Then Kill stem & ".err"
    Exit Function
Failed:
    LastError = stage & ": " & Err.Description
    Resume Done
End Function

' --- the child process -------------------------------------------------------------------------

' Python to run: LUBUDGET_PYTHON, else INTERPRETER_WIN of %USERPROFILE%\.lubudget\lubudget.conf
' (written by "lubudget addin install"), else python (Windows) / python3.
Public Function PythonPath() As String
    Dim conf As String
    PythonPath = Environ("LUBUDGET_PYTHON")
    If Len(PythonPath) > 0 Then Exit Function
    If Len(Environ("USERPROFILE")) > 0 Then
        conf = Environ("USERPROFILE") & "\.lubudget\lubudget.conf"
        PythonPath = ConfValue(conf, "INTERPRETER_WIN")
        If Len(PythonPath) > 0 Then Exit Function
    End If
    If IsWindows() Then PythonPath = "python" Else PythonPath = "python3"
End Function

' The value of "KEY","value" in an xlwings-style conf file; "" when absent.
Public Function ConfValue(ByVal conf As String, ByVal key As String) As String
    Dim f As Integer, line As String, prefix As String
    On Error GoTo Nothing
    If Len(Dir$(conf)) = 0 Then Exit Function
    prefix = """" & key & """,""" ' "KEY","
    f = FreeFile
    Open conf For Input As #f
    Do While Not EOF(f)
        Line Input #f, line
        If UCase$(Left$(line, Len(prefix))) = UCase$(prefix) Then
            ConfValue = Mid$(line, Len(prefix) + 1)
            If Right$(ConfValue, 1) = """" Then ConfValue = Left$(ConfValue, Len(ConfValue) - 1)
        End If
    Loop
    Close #f
    Exit Function
Nothing:
    ConfValue = ""
End Function

Private Function IsWindows() As Boolean
    IsWindows = (InStr(1, Application.OperatingSystem, "Windows", vbTextCompare) > 0)
End Function

' Runs Python hidden and waits. Windows: WScript.Shell (exit code known when it ends); elsewhere
' (LibreOffice on Linux/macOS): Shell through /bin/sh, which writes the exit code to stem.rc.
Private Function RunChild(ByVal arguments As String, ByVal stem As String) As Boolean
    Dim shellObject As Object, python As String, command As String, started As Date, code As String, f As Integer
    python = PythonPath()
    On Error Resume Next
    Set shellObject = CreateObject("WScript.Shell")
    On Error GoTo 0
    If Not shellObject Is Nothing Then
        command = """" & python & """ -m lubudget_xl.excel.nocom " & arguments
        RunChild = (shellObject.Run(command, 0, True) = 0)
        If Not RunChild Then LastError = python & ": exit code not 0"
        Exit Function
    End If
    command = "/bin/sh -c ""'" & Replace(python, "'", "'\''") & "' -m lubudget_xl.excel.nocom " & arguments & _
              " 2> '" & stem & ".err' ; echo $? > '" & stem & ".rc'"""
    Shell command, 0
    started = Now
    Do While Len(Dir$(stem & ".rc")) = 0
        If (Now - started) * 86400# > TIMEOUT_SECONDS Then
            LastError = python & ": no answer after " & TIMEOUT_SECONDS & " s"
            Exit Function
        End If
        DoEvents
        Application.Wait Now + TimeSerial(0, 0, 1)
    Loop
    Application.Wait Now + TimeSerial(0, 0, 1) ' the shell has created the file: let it write the code
    f = FreeFile
    Open stem & ".rc" For Input As #f
    If Not EOF(f) Then Line Input #f, code
    Close #f
    RunChild = (Trim$(code) = "0")
    If Not RunChild Then LastError = python & ": exit code " & Trim$(code) & " " & LastLine(stem & ".err")
End Function

' The last non-empty line of a text file ("" when there is none): Python's error, for the detail line.
Private Function LastLine(ByVal textFile As String) As String
    Dim f As Integer, line As String
    On Error GoTo Done
    If Len(Dir$(textFile)) = 0 Then Exit Function
    f = FreeFile
    Open textFile For Input As #f
    Do While Not EOF(f)
        Line Input #f, line
        If Len(Trim$(line)) > 0 Then LastLine = Trim$(line)
    Loop
    Close #f
Done:
End Function

' --- the copy -----------------------------------------------------------------------------------

Private Function TempFolder() As String
    TempFolder = Environ("TEMP")
    If Len(TempFolder) = 0 Then TempFolder = Environ("TMP")
    If Len(TempFolder) = 0 Then TempFolder = Environ("TMPDIR")
    If Len(TempFolder) = 0 Then TempFolder = "/tmp"
    If Right$(TempFolder, 1) = Application.PathSeparator Then TempFolder = Left$(TempFolder, Len(TempFolder) - 1)
End Function

Private Function CopySuffix(ByVal Wb As Object) As String
    If Not LubudgetLibre.IsLibreOffice() And LCase$(Right$(Wb.Name, 5)) = ".xlsm" Then
        CopySuffix = ".xlsm"
    Else
        CopySuffix = ".xlsx"
    End If
End Function

Private Function SaveCopy(ByVal Wb As Object, ByVal target As String) As Boolean
    If LubudgetLibre.IsLibreOffice() Then
        SaveCopy = LubudgetLibre.StoreCopy(target)
    Else
        Wb.SaveCopyAs target
        SaveCopy = True
    End If
End Function

' Full path of the live workbook, "" when it was never saved (LibreOffice's FullName lacks the folder).
Private Function BookFullName(ByVal Wb As Object) As String
    If Len(Wb.Path) = 0 Then Exit Function
    BookFullName = Wb.Path & Application.PathSeparator & Wb.Name
End Function

' --- replaying the script -----------------------------------------------------------------------

Public Function UnHexW(ByVal codes As String) As String
    Dim i As Long, buffer As String
    For i = 1 To Len(codes) - 3 Step 4
        buffer = buffer & ChrW(CLng("&H" & Mid$(codes, i, 4)))
    Next i
    UnHexW = buffer
End Function

' Applies every line; True when the script is complete (END) and has no FAIL line. A line that the
' host refuses (a protected sheet, say) is skipped and reported after the others have been applied.
Private Function ReplayScript(ByVal Wb As Object, ByVal scriptPath As String) As Boolean
    Dim f As Integer, line As String, complete As Boolean, refused As String, bolds As New Collection, boldLine As Variant
    If Len(Dir$(scriptPath)) = 0 Then
        LastError = "no script"
        Exit Function
    End If
    f = FreeFile
    Open scriptPath For Input As #f
    If Not EOF(f) Then Line Input #f, line
    If Replace(line, vbCr, "") <> "LUBUDGET-OPS" & vbTab & "1" Then
        Close #f
        LastError = "not a lubudget script"
        Exit Function
    End If
    Do While Not EOF(f)
        Line Input #f, line
        line = Replace(line, vbCr, "")
        If line = "END" Then
            complete = True
            Exit Do
        End If
        If Len(line) > 0 Then ReplayLine Wb, line, refused
        If Left$(line, 5) = "BOLD" & vbTab Then bolds.Add line
    Loop
    Close #f
    For Each boldLine In bolds ' LibreOffice drops a bold set before later edits of the sheet: set it again
        ReplayLine Wb, CStr(boldLine), refused
    Next boldLine
    If Not complete Then LastError = "script incomplete"
    If Len(refused) > 0 And Len(LastError) = 0 Then LastError = refused
    ReplayScript = complete And Len(LastError) = 0
End Function

Private Sub ReplayLine(ByVal Wb As Object, ByVal line As String, ByRef refused As String)
    Dim f() As String, ws As Object
    f = Split(line, vbTab)
    On Error GoTo Refused
    Select Case f(0)
        Case "VALUES": WriteRow Wb.Worksheets(UnHexW(f(1))).Range(f(2)), f
        Case "FILL": SetFill Wb.Worksheets(UnHexW(f(1))).Range(f(2)), f(3)
        Case "NOTE": SetNote Wb.Worksheets(UnHexW(f(1))).Range(f(2)), f(3)
        Case "LINK": SetLink Wb.Worksheets(UnHexW(f(1))), f(2), UnHexW(f(3))
        Case "ADDSHEET": AddSheet Wb, UnHexW(f(1)), f(2) = "1", f(3) = "1"
        Case "WIDTH"
            Set ws = Wb.Worksheets(UnHexW(f(1)))
            ws.Columns(CLng(f(2))).ColumnWidth = Val(f(3))
            If f(4) = "1" Then ws.Columns(CLng(f(2))).WrapText = True
        Case "BOLD"
            Wb.Worksheets(UnHexW(f(1))).Range(f(2)).Font.Bold = True
            If LubudgetLibre.IsLibreOffice() Then LubudgetLibre.SetBold UnHexW(f(1)), f(2)
        Case "FREEZE"
            If LubudgetLibre.IsLibreOffice() Then
                LubudgetLibre.Freeze UnHexW(f(1)), f(2)
            Else
                Freeze Wb.Worksheets(UnHexW(f(1))), f(2)
            End If
        Case "FILTER": Wb.Worksheets(UnHexW(f(1))).Range(f(2)).AutoFilter 1
        Case "PRINT": SetPrint Wb.Worksheets(UnHexW(f(1))), CLng(f(2)), f(3) = "1", UnHexW(f(4))
        Case "DELSHEET"
            Application.DisplayAlerts = False
            Wb.Worksheets(UnHexW(f(1))).Delete
            Application.DisplayAlerts = True
        Case "COPYSHEET"
            Wb.Worksheets(UnHexW(f(1))).Copy After:=Wb.Worksheets(Wb.Worksheets.Count)
            Wb.Worksheets(Wb.Worksheets.Count).Name = UnHexW(f(2))
        Case "INSERTROW": Wb.Worksheets(UnHexW(f(1))).Rows(CLng(f(2))).Insert -4121, 0 ' down, format from above
        Case "STATUS" ' progress of a run that has ended: nothing to show any more
        Case "MSG": LubudgetMain.Say UnHexW(f(1)), vbInformation
        Case "FAIL": LastError = UnHexW(f(1))
    End Select
    Exit Sub
Refused:
    If Len(refused) = 0 Then refused = f(0) & " " & Err.Description
End Sub

' One row of values from `target` rightwards: kind s (hex text), n (number), b (0/1), e (empty).
' Text is written with a leading apostrophe, so it stays text as the bridge wrote it (no formula, no
' number, and a location such as '1'!B5 keeps its quote).
Private Sub WriteRow(ByVal target As Object, f() As String)
    Dim i As Long, count As Long, kind As String, value As String
    count = CLng(f(3))
    For i = 0 To count - 1
        kind = f(4 + 2 * i)
        value = f(5 + 2 * i)
        Select Case kind
            Case "s": target.Offset(0, i).Value = "'" & UnHexW(value)
            Case "n": target.Offset(0, i).Value = Val(value)
            Case "b": target.Offset(0, i).Value = (value = "1")
            Case Else: target.Offset(0, i).Value = Empty
        End Select
    Next i
End Sub

' A4, one page wide and as many pages tall as needed, the title row on every page, page numbers
' centred in the footer, gridlines printed. A setting the host does not support (WPS, LibreOffice)
' is left as it was: printing must never stop the marks.
Private Sub SetPrint(ByVal ws As Object, ByVal titleRow As Long, ByVal landscape As Boolean, ByVal footer As String)
    On Error Resume Next
    With ws.PageSetup
        .PaperSize = 9 ' xlPaperA4
        If landscape Then .Orientation = 2 Else .Orientation = 1
        .Zoom = False
        .FitToPagesWide = 1
        .FitToPagesTall = False
        .PrintTitleRows = "$" & titleRow & ":$" & titleRow
        .PrintGridlines = True
        If Not LubudgetLibre.IsLibreOffice() Then .CenterFooter = footer
    End With
    If LubudgetLibre.IsLibreOffice() Then LubudgetLibre.PrintPage ws.Name, titleRow, footer
    On Error GoTo 0
End Sub

Private Sub SetFill(ByVal target As Object, ByVal rgbText As String)
    If rgbText = "-" Then
        target.Interior.ColorIndex = XL_NONE
    Else
        target.Interior.Color = RGB(CLng("&H" & Mid$(rgbText, 1, 2)), CLng("&H" & Mid$(rgbText, 3, 2)), _
                                    CLng("&H" & Mid$(rgbText, 5, 2)))
    End If
End Sub

Private Sub SetNote(ByVal target As Object, ByVal text As String)
    If Not target.Comment Is Nothing Then target.Comment.Delete
    If text <> "-" Then target.AddComment UnHexW(text)
End Sub

' An in-workbook link. Excel and WPS take SubAddress; LibreOffice wants the location as "#..." Address.
Private Sub SetLink(ByVal ws As Object, ByVal cellName As String, ByVal location As String)
    Dim target As Object, shown As String
    Set target = ws.Range(cellName)
    shown = CStr(target.Value)
    If Len(shown) = 0 Then shown = location
    On Error GoTo AsAddress
    ws.Hyperlinks.Add Anchor:=target, Address:="", SubAddress:=location, TextToDisplay:=shown
    Exit Sub
AsAddress:
    Resume AsAddressNow
AsAddressNow:
    On Error GoTo 0
    ws.Hyperlinks.Add Anchor:=target, Address:="#" & location, TextToDisplay:=shown
End Sub

Private Sub AddSheet(ByVal Wb As Object, ByVal name As String, ByVal hidden As Boolean, ByVal first As Boolean)
    Dim ws As Object, before As Object
    Set before = Wb.ActiveSheet
    If first Then
        Set ws = Wb.Worksheets.Add(Before:=Wb.Worksheets(1))
    Else
        Set ws = Wb.Worksheets.Add(After:=Wb.Worksheets(Wb.Worksheets.Count))
    End If
    ws.Name = name
    If hidden Then
        ws.Visible = XL_SHEET_HIDDEN
        before.Activate
    End If
End Sub

' Excel freezes through the window: activate the sheet, select the cell, freeze (as xlwings does).
Private Sub Freeze(ByVal ws As Object, ByVal cellName As String)
    ws.Activate
    Application.ActiveWindow.FreezePanes = False
    ws.Range(cellName).Select
    Application.ActiveWindow.FreezePanes = True
End Sub
