Attribute VB_Name = "LubudgetMain"
' lubudget add-in: the glue between Excel and the Python functions in lubudget_xl.excel.entry.
' Source is ASCII only: Chinese text is built at run time by Zh() from UTF-16 code units, so the
' module reads the same under any VBA project code page (see lubudget_xl/addin/vbaproject.py).
Option Explicit

Private Const ENTRY As String = "import lubudget_xl.excel.entry as e; e."
Private Const TEMPLATE_ID_PROPERTY As String = "LubudgetTemplateId"

' Chinese texts (hex UTF-16 code units; tests/test_addin_build.py decodes and checks each one).
Private Const TXT_TITLE As String = "7EE9 6548 76EE 6807"
Private Const TXT_SAVE_FAILED As String = "4FDD 5B58 524D 7684 6821 9A8C 6CA1 6709 5B8C 6210 FF08 53EF 80FD 672A 5B89 88C5 0020 0050 0079 0074 0068 006F 006E 0020 6216 0020 006C 0075 0062 0075 0064 0067 0065 0074 005F 0078 006C FF09 3002 6587 4EF6 7167 5E38 4FDD 5B58 3002"
Private Const TXT_RUN_FAILED As String = "64CD 4F5C 6CA1 6709 5B8C 6210 FF08 53EF 80FD 672A 5B89 88C5 0020 0050 0079 0074 0068 006F 006E 0020 6216 0020 006C 0075 0062 0075 0064 0067 0065 0074 005F 0078 006C FF09 3002"
Private Const TXT_ERROR_DETAIL As String = "9519 8BEF 4FE1 606F FF1A"
Private Const TXT_NO_WORKBOOK As String = "8BF7 5148 6253 5F00 8981 5904 7406 7684 5DE5 4F5C 7C3F 3002"
Public Const TXT_PICK_FOLDER As String = "9009 62E9 8981 6C47 603B 7684 6587 4EF6 5939"
Private Const TXT_WORKING As String = "7EE9 6548 76EE 6807 003A 6B63 5728 8FD0 884C 6821 9A8C 002C 8BF7 7A0D 5019 2026 2026"

Private AppEvents As LubudgetEvents

Public Sub StartEvents()
    If LubudgetLibre.IsLibreOffice() Then Exit Sub ' no application events there; ThisWorkbook handles its own save
    Set AppEvents = New LubudgetEvents
    Set AppEvents.App = Application
End Sub

' True once the add-in listens to every workbook's save (then ThisWorkbook's own handler stays quiet).
Public Function EventsStarted() As Boolean
    EventsStarted = Not AppEvents Is Nothing
End Function

' True where xlwings can call back into the host: Excel, unless told otherwise (LUBUDGET_BRIDGE=file in
' the environment or in lubudget.conf, for a Python without pywin32). WPS and LibreOffice: never.
Public Function UseXlwings() As Boolean
    Dim setting As String
    If LubudgetLibre.IsLibreOffice() Then Exit Function
    If InStr(1, Application.Name, "Microsoft Excel", vbTextCompare) = 0 Then Exit Function
    setting = Environ("LUBUDGET_BRIDGE")
    If Len(setting) = 0 And Len(Environ("USERPROFILE")) > 0 Then
        setting = LubudgetBridge.ConfValue(Environ("USERPROFILE") & "\.lubudget\lubudget.conf", "LUBUDGET_BRIDGE")
    End If
    UseXlwings = (LCase$(setting) <> "file")
End Function

' The status bar; "" gives it back to the host. Not in LibreOffice, whose VBA status bar can throw
' an exception that no On Error catches.
Public Sub ShowStatus(ByVal text As String)
    On Error Resume Next
    If LubudgetLibre.IsLibreOffice() Then Exit Sub
    If Len(text) = 0 Then Application.StatusBar = False Else Application.StatusBar = text
End Sub

' Every message box of the add-in. With LUBUDGET_MESSAGE_LOG set (tests), the text goes to that file
' as one line of hex UTF-16 instead, so a headless run never waits for a click.
Public Sub Say(ByVal text As String, ByVal icon As Long)
    Dim logFile As String, f As Integer
    logFile = Environ("LUBUDGET_MESSAGE_LOG")
    If Len(logFile) > 0 Then
        f = FreeFile
        Open logFile For Append As #f
        Print #f, HexW(text)
        Close #f
    Else
        MsgBox text, icon, Zh(TXT_TITLE)
    End If
End Sub

' Builds a string from space-separated hex UTF-16 code units, e.g. Zh("7EE9 6548").
Public Function Zh(ByVal codes As String) As String
    Dim parts() As String, i As Long, buffer As String
    parts = Split(codes, " ")
    For i = LBound(parts) To UBound(parts)
        If Len(parts(i)) > 0 Then buffer = buffer & ChrW(CLng("&H" & parts(i))) ' ChrW takes -32768..65535
    Next i
    Zh = buffer
End Function

' Hex UTF-16 code units of a string: passes paths with any characters to Python as ASCII.
Public Function HexW(ByVal text As String) As String
    Dim i As Long, out As String
    For i = 1 To Len(text)
        out = out & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
    HexW = out
End Function

' True when the workbook was made from our template (custom property LubudgetTemplateId).
Public Function IsTemplateBook(ByVal Wb As Object) As Boolean
    Dim propValue As Variant
    On Error GoTo NotOurs
    If LubudgetLibre.IsLibreOffice() Then
        IsTemplateBook = (Len(LubudgetLibre.TemplateId()) > 0)
        Exit Function
    End If
    propValue = Wb.CustomDocumentProperties(TEMPLATE_ID_PROPERTY).Value
    IsTemplateBook = (Len(CStr(propValue)) > 0)
    Exit Function
NotOurs:
    IsTemplateBook = False
End Function

' True when Excel's AutoSave (OneDrive/SharePoint) is on; older Excel has no AutoSaveOn.
' Late bound (As Object): on Excel without the property this is a run-time error, not a compile error.
Private Function IsAutoSaving(ByVal Wb As Object) As Boolean
    Dim book As Object
    On Error Resume Next
    Set book = Wb
    IsAutoSaving = book.AutoSaveOn
End Function

' Called before every save. Checks our workbooks and shows a short summary; any failure on our
' side is reported in one line and the save goes on (Cancel is never touched).
Public Sub CheckOnSave(ByVal Wb As Object)
    Dim ok As Boolean
    On Error GoTo Failed
    If Not IsTemplateBook(Wb) Then Exit Sub
    If IsAutoSaving(Wb) Then Exit Sub ' AutoSave saves every few seconds: no popup storm
    If UseXlwings() Then
        If Not Wb Is ActiveWorkbook Then Exit Sub ' RunPython works on the active workbook
        If RunPython(ENTRY & "on_save()") = -1 Then Say Zh(TXT_SAVE_FAILED), vbExclamation
    Else
        ShowStatus Zh(TXT_WORKING)
        ok = LubudgetBridge.RunAction(Wb, "on_save", "")
        If Not ok Then Say Zh(TXT_SAVE_FAILED), vbExclamation
    End If
    ShowStatus ""
    Exit Sub
Failed:
    ShowStatus ""
    Say Zh(TXT_SAVE_FAILED), vbExclamation
End Sub

' Runs one function of lubudget_xl.excel.entry for the active workbook.
Public Sub RunEntry(ByVal action As String)
    RunEntryWith action, ""
End Sub

' The same with an argument (hex text, or ""): through xlwings in Excel, through the no-COM bridge
' elsewhere. Reports failures in Chinese. (No Optional parameters: LibreOffice passes them as missing.)
Public Sub RunEntryWith(ByVal action As String, ByVal argument As String)
    Dim ok As Boolean, book As Object
    On Error GoTo Failed
    If ActiveWorkbook Is Nothing Then
        Say Zh(TXT_NO_WORKBOOK), vbInformation
        Exit Sub
    End If
    If UseXlwings() Then
        If Len(argument) > 0 Then
            ok = (RunPython(ENTRY & action & "('" & argument & "')") <> -1)
        Else
            ok = (RunPython(ENTRY & action & "()") <> -1)
        End If
        If Not ok Then Say Zh(TXT_RUN_FAILED), vbExclamation
    Else
        ShowStatus Zh(TXT_WORKING)
        Set book = ActiveWorkbook
        ok = LubudgetBridge.RunAction(book, action, argument)
        If Not ok Then
            Say Zh(TXT_RUN_FAILED) & vbCrLf & Zh(TXT_ERROR_DETAIL) & LubudgetBridge.LastError, vbExclamation
        End If
        ShowStatus ""
    End If
    Exit Sub
Failed:
    ShowStatus ""
    Say Zh(TXT_RUN_FAILED) & vbCrLf & Zh(TXT_ERROR_DETAIL) & Err.Description, vbExclamation
End Sub
