@echo off
rem Offline install of lubudget_xl @LUBUDGET_VERSION@ from this bundle (made by `lubudget bundle`).
rem Double-click it, or run: install.bat [TARGET]   TARGET = the virtual environment to create
rem (default %LOCALAPPDATA%\lubudget\venv). Set PYTHON=C:\path\python.exe to choose the interpreter
rem (it must be Python @PYTHON_VERSION@). Written to the bundle in GB2312 with CRLF line ends; the
rem Chinese text stays outside parenthesised blocks so cmd never has to parse it.
chcp 936 >nul
setlocal
set "BUNDLE=%~dp0"
set "BUNDLE=%BUNDLE:~0,-1%"
set "TARGET=%~1"
if "%TARGET%"=="" set "TARGET=%LOCALAPPDATA%\lubudget\venv"

echo 正在核对安装包文件（SHA-256）……
set "LUBUDGET_BUNDLE=%BUNDLE%"
set "LUBUDGET_PS1=%BUNDLE%\tools\verify_manifest.ps1"
powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "Invoke-Expression (Get-Content -Raw -Encoding UTF8 -LiteralPath $env:LUBUDGET_PS1); if ($LubudgetFailed) { exit 1 } else { exit 0 }"
if errorlevel 1 goto bad_files
echo 文件核对通过。

if not "%PYTHON%"=="" goto check_python
set "PYTHON=python"
py -@PYTHON_VERSION@ -c "import sys" >nul 2>&1
if errorlevel 1 goto check_python
for /f "delims=" %%i in ('py -@PYTHON_VERSION@ -c "import sys; print(sys.executable)"') do set "PYTHON=%%i"
:check_python
"%PYTHON%" -c "import sys; sys.exit(not sys.version.startswith('@PYTHON_VERSION@.'))" >nul 2>&1
if errorlevel 1 goto no_python

echo 正在创建虚拟环境 %TARGET% ……
"%PYTHON%" -m venv "%TARGET%"
if errorlevel 1 goto failed
rem Only this bundle's wheels: no index, no pip configuration of this PC.
set "PIP_CONFIG_FILE=NUL"
"%TARGET%\Scripts\python.exe" -m pip install --no-index --disable-pip-version-check -q --find-links "%BUNDLE%\wheels" "lubudget_xl[@EXTRAS@]==@LUBUDGET_VERSION@"
if errorlevel 1 goto failed
"%TARGET%\Scripts\lubudget.exe" addin install --file "%BUNDLE%\addin\lubudget.xlam"
if errorlevel 1 goto failed
echo.
echo 安装完成。重新启动 Excel 后，功能区会出现“绩效目标”选项卡。
echo 审核人员的命令：%TARGET%\Scripts\lubudget.exe（可加入 PATH）。
echo 各部门填报用的模板在 templates 文件夹中，填报不需要安装 Python。
pause
exit /b 0

:bad_files
echo 错误：安装包文件不完整或已被改动（见上），未安装。请重新复制完整的安装包。
pause
exit /b 1

:no_python
echo 错误：找不到 Python @PYTHON_VERSION@。请先安装 Python @PYTHON_VERSION@，或先 set PYTHON=解释器路径 再运行本文件。
pause
exit /b 1

:failed
echo 错误：安装未完成（见上面的提示）。
pause
exit /b 1
