#!/bin/sh
# Offline install of lubudget_xl @LUBUDGET_VERSION@ from this bundle (made by `lubudget bundle`).
#   sh install.sh [TARGET]      TARGET: the virtual environment to create (default ~/.lubudget/venv)
#   PYTHON=python3.11 sh install.sh   to choose the interpreter (must be Python @PYTHON_VERSION@)
# Checks every file against SHA256SUMS.txt first, installs nothing if one differs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-"$HOME/.lubudget/venv"}
python=${PYTHON:-python3}
fail() { echo "错误:$*" >&2; exit 1; }

cd "$here"
echo "正在核对安装包文件(SHA-256)……"
command -v sha256sum >/dev/null 2>&1 || fail "找不到 sha256sum(coreutils),无法核对安装包"
sha256sum --check --strict --quiet SHA256SUMS.txt || fail "安装包文件不完整或已被改动(见上),未安装。请重新复制完整的安装包。"
listed=$(cut -c67- SHA256SUMS.txt)
for f in wheels/*; do
  printf '%s\n' "$listed" | grep -qxF "$f" || fail "$f 不在校验清单中,未安装。请重新复制完整的安装包。"
done
echo "文件核对通过。"

command -v "$python" >/dev/null 2>&1 || fail "找不到 Python($python)。请先安装 Python @PYTHON_VERSION@,或用 PYTHON=解释器路径 指定。"
"$python" -c 'import sys; sys.exit(0 if "%d.%d" % sys.version_info[:2] == "@PYTHON_VERSION@" else 1)' \
  || fail "本安装包为 Python @PYTHON_VERSION@ 准备,$python 是 $("$python" -c 'import sys; print(sys.version.split()[0])')。请用 PYTHON=python@PYTHON_VERSION@ 指定。"

echo "正在创建虚拟环境 $target ……"
"$python" -m venv "$target" || fail "无法创建虚拟环境 $target"
# Only this bundle's wheels: no index, no pip configuration of this machine.
PIP_CONFIG_FILE=/dev/null "$target/bin/python" -m pip install --no-index --disable-pip-version-check -q \
  --find-links "$here/wheels" "lubudget_xl[@EXTRAS@]==@LUBUDGET_VERSION@" \
  || fail "pip 安装失败(见上)"
"$target/bin/lubudget" --version
echo "安装完成。命令:$target/bin/lubudget(可加入 PATH)。"
echo "Excel 加载项 addin/lubudget.xlam 只能在 Windows 版 Excel 中使用,请在 Windows 上运行 install.bat。"
