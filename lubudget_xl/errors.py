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
    return reasons.get(err.errno or -1, err.strerror or "系统错误")
