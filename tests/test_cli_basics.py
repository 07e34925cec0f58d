from conftest import run_cli


def test_version_and_chinese_help():
    out = run_cli("--version")
    assert out.returncode == 0 and b"lubudget 0.1.0" in out.stdout
    helped = run_cli("--help")
    assert helped.returncode == 0
    assert "用法" in helped.stdout.decode("utf-8") and "命令" in helped.stdout.decode("utf-8")


def test_unknown_verb_is_a_usage_error_in_chinese():
    out = run_cli("no-such-verb")
    assert out.returncode == 2
    assert "错误" in out.stderr.decode("utf-8")
