Attribute VB_Name = "LubudgetRibbon"
' Callbacks of the ribbon tab (macros/customUI14.xml): one button, one Python function.
Option Explicit

Public Sub OnCheckSheet(control As IRibbonControl)
    LubudgetMain.RunEntry "check_sheet"
End Sub

Public Sub OnCheckAll(control As IRibbonControl)
    LubudgetMain.RunEntry "check_all"
End Sub

Public Sub OnClearMarks(control As IRibbonControl)
    LubudgetMain.RunEntry "clear_marks"
End Sub

Public Sub OnNewProjectSheet(control As IRibbonControl)
    LubudgetMain.RunEntry "new_project_sheet"
End Sub

Public Sub OnInsertIndicatorRow(control As IRibbonControl)
    LubudgetMain.RunEntry "insert_indicator_row"
End Sub

Public Sub OnExportRecords(control As IRibbonControl)
    LubudgetMain.RunEntry "export_records"
End Sub

' Reviewers: pick a folder of returned workbooks and consolidate it. The path goes to Python as
' hex UTF-16 so that Chinese folder names and quotes survive the command line.
Public Sub OnConsolidateFolder(control As IRibbonControl)
    Dim folder As String
    With Application.FileDialog(4) ' msoFileDialogFolderPicker
        .Title = LubudgetMain.Zh(LubudgetMain.TXT_PICK_FOLDER)
        If .Show <> -1 Then Exit Sub
        folder = .SelectedItems(1)
    End With
    LubudgetMain.RunEntryWith "consolidate_folder", LubudgetMain.HexW(folder)
End Sub

' The same actions without a ribbon (LibreOffice: Tools > Macros > Run; any host: Alt+F8).
Public Sub CheckSheet()
    LubudgetMain.RunEntry "check_sheet"
End Sub

Public Sub CheckAll()
    LubudgetMain.RunEntry "check_all"
End Sub

Public Sub ClearMarks()
    LubudgetMain.RunEntry "clear_marks"
End Sub

Public Sub NewProjectSheet()
    LubudgetMain.RunEntry "new_project_sheet"
End Sub

Public Sub InsertIndicatorRow()
    LubudgetMain.RunEntry "insert_indicator_row"
End Sub

Public Sub ExportRecords()
    LubudgetMain.RunEntry "export_records"
End Sub
