Attribute VB_Name = "LubudgetLibre"
' LibreOffice-only helpers of the no-COM bridge. ASCII only.
' No Option Explicit on purpose: ThisComponent is LibreOffice's current document; in Excel and WPS
' the name is an undeclared, empty Variant, so this module compiles there and IsLibreOffice is False.
' Only late-bound calls on ThisComponent appear here (no LibreOffice Basic functions such as
' CreateUnoStruct or ConvertToURL, which would not compile in Excel).

Public Function IsLibreOffice() As Boolean
    On Error Resume Next
    IsLibreOffice = IsObject(ThisComponent)
End Function

' Saves a copy of the current document to target as .xlsx (Workbook.SaveCopyAs in LibreOffice writes
' the old .xls format, which Python's reader does not take). The two PropertyValues storeToURL needs
' are taken from the document's own media descriptor and renamed, since a new one cannot be made
' without LibreOffice-only functions. Returns False when the document has no such descriptor.
Public Function StoreCopy(ByVal target As String) As Boolean
    Dim args As Variant, i As Long, filterProp As Variant, otherProp As Variant, props(1) As Variant
    Dim haveFilter As Boolean, haveOther As Boolean
    args = ThisComponent.getArgs()
    For i = LBound(args) To UBound(args)
        If args(i).Name = "FilterName" And Not haveFilter Then
            filterProp = args(i)
            haveFilter = True
        ElseIf Not haveOther Then
            otherProp = args(i)
            haveOther = True
        End If
    Next i
    If Not (haveFilter And haveOther) Then Exit Function
    filterProp.Value = "Calc MS Excel 2007 XML"
    otherProp.Name = "Overwrite"
    otherProp.Value = True
    props(0) = filterProp
    props(1) = otherProp
    ThisComponent.storeToURL FileUrl(target), props
    StoreCopy = True
End Function

' file:///... URL of a local path, UTF-8 percent-encoded.
Public Function FileUrl(ByVal target As String) As String
    Dim i As Long, code As Long, ch As String, out As String
    target = Replace(target, "\", "/")
    If Left$(target, 1) <> "/" Then target = "/" & target
    For i = 1 To Len(target)
        ch = Mid$(target, i, 1)
        code = AscW(ch) And &HFFFF&
        If (code >= 48 And code <= 57) Or (code >= 65 And code <= 90) Or (code >= 97 And code <= 122) _
           Or InStr("/-._~:", ch) > 0 Then
            out = out & ch
        ElseIf code < &H80& Then
            out = out & "%" & Right$("0" & Hex$(code), 2)
        ElseIf code < &H800& Then
            out = out & "%" & Hex$(&HC0& Or (code \ &H40&)) & "%" & Hex$(&H80& Or (code And &H3F&))
        Else
            out = out & "%" & Hex$(&HE0& Or (code \ &H1000&)) & "%" & Hex$(&H80& Or ((code \ &H40&) And &H3F&)) _
                & "%" & Hex$(&H80& Or (code And &H3F&))
        End If
    Next i
    FileUrl = "file://" & out
End Function

' The template identity (custom property LubudgetTemplateId), "" when absent: LibreOffice's VBA has no
' Workbook.CustomDocumentProperties.
Public Function TemplateId() As String
    On Error Resume Next
    TemplateId = CStr(ThisComponent.DocumentProperties.UserDefinedProperties.getPropertyValue("LubudgetTemplateId"))
End Function

' Bold through the cell's UNO properties: LibreOffice's VBA Font.Bold does not stick on a cell that was
' just given a fill colour.
Public Sub SetBold(ByVal sheetName As String, ByVal cellName As String)
    ThisComponent.Sheets.getByName(sheetName).getCellRangeByName(cellName).CharWeight = 150 ' FontWeight.BOLD
End Sub

' Frozen panes through the view: ActiveWindow.FreezePanes does nothing in LibreOffice's VBA.
Public Sub Freeze(ByVal sheetName As String, ByVal cellName As String)
    Dim sheet As Object, address As Object, view As Object
    Set sheet = ThisComponent.Sheets.getByName(sheetName)
    Set address = sheet.getCellRangeByName(cellName).getCellAddress()
    Set view = ThisComponent.getCurrentController()
    view.setActiveSheet sheet
    view.freezeAtPosition address.Column, address.Row
End Sub

' Title row, page numbers and printed gridlines through UNO: LibreOffice's VBA PageSetup ignores
' PrintTitleRows and PrintGridlines and shows CenterFooter as plain text (&P and &N literally). footer
' holds Excel's codes; the text around &P and &N is kept, the codes become page-number and page-count
' fields. The title row's address comes from the sheet (a new CellRangeAddress needs LibreOffice Basic).
Public Sub PrintPage(ByVal sheetName As String, ByVal titleRow As Long, ByVal footer As String)
    Dim sheet As Object, style As Object, content As Object, centre As Object, cursor As Object, p As Long, n As Long
    Set sheet = ThisComponent.Sheets.getByName(sheetName)
    sheet.setTitleRows sheet.getCellRangeByName("A" & titleRow & ":A" & titleRow).getRangeAddress()
    sheet.setPrintTitleRows True
    p = InStr(footer, "&P")
    n = InStr(footer, "&N")
    If p = 0 Or n < p Then Exit Sub
    Set style = ThisComponent.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)
    style.PrintGrid = True
    style.FooterIsOn = True
    Set content = style.RightPageFooterContent
    Set centre = content.CenterText
    centre.setString ""
    Set cursor = centre.createTextCursor()
    centre.insertString cursor, Left$(footer, p - 1), False
    centre.insertTextContent cursor, ThisComponent.createInstance("com.sun.star.text.TextField.PageNumber"), False
    centre.insertString cursor, Mid$(footer, p + 2, n - p - 2), False
    centre.insertTextContent cursor, ThisComponent.createInstance("com.sun.star.text.TextField.PageCount"), False
    centre.insertString cursor, Mid$(footer, n + 2), False
    style.RightPageFooterContent = content
End Sub
