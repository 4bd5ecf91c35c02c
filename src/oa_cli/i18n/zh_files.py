"""Chinese catalog part: the ledger file and its safety checks."""

CATALOG: dict[str, str] = {
    "no ledger at {path}": "{path} 处没有台账",
    "{path} is a link to {target}, which does not exist; give the ledger's real path": (
        "{path} 是指向 {target} 的链接，而该文件不存在；请给出台账的实际路径"
    ),
    "cannot read ledger {path}: {error}": "无法读取台账 {path}：{error}",
    "{path} is not an oa ledger (not an SQLite database); left untouched": (
        "{path} 不是 oa 台账（不是 SQLite 数据库）；未作任何改动"
    ),
    "{path} is an SQLite database of another program (tables: {tables}); left untouched": (
        "{path} 是其他程序的 SQLite 数据库（表：{tables}）；未作任何改动"
    ),
    "{path} is read-only and made by an older oa (schema {version});"
    " open it once where it can be written to upgrade it": (
        "{path} 为只读，且由旧版 oa 创建（结构版本 {version}）；请在可写的位置打开一次以完成升级"
    ),
    "{path} is read-only: this command would change the ledger": (
        "{path} 为只读：此命令会修改台账，无法执行"
    ),
    "{path} is the ledger (or its -wal/-shm file); write somewhere else": (
        "{path} 就是台账（或其 -wal/-shm 文件）；请写到别处"
    ),
    "cannot write {path}: folder {folder} does not exist": "无法写入 {path}：文件夹 {folder} 不存在",
}
