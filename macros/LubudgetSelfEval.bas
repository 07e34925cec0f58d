Attribute VB_Name = "LubudgetSelfEval"
' Ribbon callback of the self-evaluation group (issue 18): the open target workbook becomes the
' self-evaluation form beside it (lubudget_xl.excel.entry.build_selfeval).
Option Explicit

Public Sub OnBuildSelfEval(control As IRibbonControl)
    LubudgetMain.RunEntry "build_selfeval()"
End Sub
