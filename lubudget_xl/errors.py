"""The one exception users see: a Chinese message naming file, sheet/line and cell.

Findings about the data are `Issue` values (rules); `UserError` is for input we cannot use at all.
The CLI prints its message and exits 2, without a traceback.
"""


class UserError(Exception):
    """Unusable input or usage. `str(err)` is the complete Chinese message for the user."""


def os_error_reason(err: OSError) -> str:
    """A short Chinese reason for an operating-system error (unwritable folder, full disk …)."""
    import errno

    reasons = {
        errno.ENOENT: "路径不存在",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.EISDIR: "这是文件夹,不是文件",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "只读的文件系统",
        errno.EEXIST: "已存在",
        errno.EBUSY: "文件正被其他程序使用",
    }
    return reasons.get(err.errno or -1, f"系统错误,错误号 {err.errno}" if err.errno else "系统错误")  # never the English strerror


def write_error(target: object, err: OSError, what: str = "") -> UserError:
    """A Chinese UserError for an output that could not be written, with the advice that fits the
    cause (the operating system's English text is never shown): a full disk needs space, a file
    open in Excel needs closing, a read-only folder needs another folder."""
    import errno

    reason = os_error_reason(err)
    advice = {
        errno.ENOSPC: "请清理磁盘空间,或换一个空间充足的文件夹后重试",
        errno.EDQUOT if hasattr(errno, "EDQUOT") else -2: "磁盘配额已用完,请清理后重试",
        errno.EROFS: "请换一个可写的文件夹",
        errno.EACCES: "若文件正在 Excel 中打开,请关闭后重试;否则请检查文件夹的写入权限",
        errno.EPERM: "若文件正在 Excel 中打开,请关闭后重试;否则请检查文件夹的写入权限",
        errno.EBUSY: "若文件正在 Excel 中打开,请关闭后重试",
    }.get(err.errno or -1, "")
    if err.errno == getattr(errno, "EDQUOT", None):
        reason = "磁盘配额已用完"
    where = err.filename if err.filename and not target else target
    text = f"{where}: 无法写入{what}({reason})"
    return UserError(f"{text};{advice}" if advice else text)
