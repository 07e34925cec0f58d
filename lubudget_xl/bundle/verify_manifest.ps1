# Checks the bundle against SHA256SUMS.txt for install.bat (which runs it through Invoke-Expression,
# so no execution policy applies). Same format and rules as lubudget_xl/bundle/manifest.py: lines
# "<64 lowercase hex><two spaces><path with />", UTF-8; every file under wheels\ must be listed.
# Cmdlets only (no .NET calls), so it also runs in Constrained Language Mode. Sets $LubudgetFailed;
# any error (unreadable manifest or file, no wheels folder) stops it, and powershell exits with 1.
$ErrorActionPreference = 'Stop'
$LubudgetFailed = $false
$root = $env:LUBUDGET_BUNDLE
$listed = @{}
$lines = Get-Content -Encoding UTF8 -LiteralPath (Join-Path $root 'SHA256SUMS.txt')
foreach ($line in $lines) {
    if (-not ($line -cmatch '^([0-9a-f]{64})  (.+)$')) {
        Write-Host ('BAD LINE in SHA256SUMS.txt: ' + $line)
        $LubudgetFailed = $true
        continue
    }
    $expected = $Matches[1]
    $rel = $Matches[2]
    $listed[$rel] = $true
    $path = Join-Path $root ($rel -replace '/', '\')
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        Write-Host ('MISSING: ' + $rel)
        $LubudgetFailed = $true
        continue
    }
    $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath $path).Hash.ToLower()
    if ($actual -ne $expected) {
        Write-Host ('CHANGED OR DAMAGED: ' + $rel)
        $LubudgetFailed = $true
    }
}
foreach ($file in Get-ChildItem -LiteralPath (Join-Path $root 'wheels') -File) {
    if (-not $listed.ContainsKey('wheels/' + $file.Name)) {
        Write-Host ('NOT IN SHA256SUMS.txt: wheels/' + $file.Name)
        $LubudgetFailed = $true
    }
}
