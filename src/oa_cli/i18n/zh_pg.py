"""Chinese catalog part: the shared ledger on PostgreSQL (ledger.pg*, `oa grant`)."""

CATALOG: dict[str, str] = {
    "a postgresql:// ledger needs the driver: pip install 'oa-cli[postgres]'": (
        "使用 postgresql:// 台账需要安装驱动：pip install 'oa-cli[postgres]'"
    ),
    "cannot reach the ledger {url}: {error}": "无法连接台账 {url}：{error}",
    "the server asks for a password (set it in ~/.pgpass or PGPASSWORD)": (
        "服务器要求输入密码（请在 ~/.pgpass 或 PGPASSWORD 中设置）"
    ),
    "lost the connection to the ledger {url}: {error}; nothing was written": (
        "与台账 {url} 的连接已断开：{error}；未写入任何内容"
    ),
    "PostgreSQL refused: {error}": "PostgreSQL 拒绝了该操作：{error}",
    "the login {login} may only read the items of {unit} and record ack and feedback on them": (
        "登录名 {login} 只能查看{unit}的事项，并对其签收和反馈"
    ),
    "the login {login} may only read this ledger": "登录名 {login} 对本台账只有只读权限",
    "the login {login} is not allowed to do this in this ledger": (
        "登录名 {login} 无权在本台账中执行此操作"
    ),
    "unknown role {role}: use --office, --unit UNIT or --read-only": (
        "未知角色 {role}：请使用 --office、--unit 单位 或 --read-only"
    ),
    "--unit needs the unit's name, and only a unit role takes one": (
        "--unit 需要给出单位名称，且只有单位角色才需要单位"
    ),
    "a login name has 1 to 63 bytes: {login}": "登录名须为 1 至 63 个字节：{login}",
    "cannot create the login {login}: only the ledger's owner can": (
        "无法创建登录名 {login}：只有台账的所有者才能创建"
    ),
    "cannot create the login {login}: the ledger's owner needs CREATEROLE (or make it first: createuser {login})": (
        "无法创建登录名 {login}：台账所有者须有 CREATEROLE 权限（或先用 createuser {login} 创建该登录名）"
    ),
    "{path} is a database of another program (tables: {tables}); left untouched": "{path} 是其他程序的数据库（数据表：{tables}），未作任何改动",
    "{login} is a superuser or owns the ledger: PostgreSQL would not confine it; give the role to a login of its own": "{login} 是超级用户或台账所有者，PostgreSQL 无法限制其权限；请为该角色另建登录名",
    "the office's working days around {day} are not on the ledger, so the next report's deadline cannot be set: ask the office to run oa grant once more": (
        "台账中没有督办机关 {day} 前后的工作日历，无法确定下次报送时限：请督办机关再运行一次 oa grant"
    ),
    "a unit's login records ack and feedback at the present time: {at} is before the assignment or the item's latest event, or later than now": (
        "单位登录名只能按当前时间签收和反馈：{at} 早于交办时间或该事项的最近记录，或晚于当前时间"
    ),
    "the login {login} sees only the items of {unit}: oa verify checks the whole ledger and is run by the office": (
        "登录名 {login} 只能查看{unit}的事项：oa verify 校验整个台账，须由督办机关运行"
    ),
    "only the lead unit {unit} signs for this item (ack); a co-unit sends its part as feedback": (
        "本事项由牵头单位{unit}签收；协办单位请以反馈报送所承担的工作"
    ),
    "{path}: the ledger is at schema {old} and this oa needs {new}: its owner must open it once to upgrade it": (
        "{path}：台账为第 {old} 版结构，本版 oa 需要第 {new} 版：须由台账所有者打开一次以完成升级"
    ),
    "item {id} is not among the items of {unit} (the login {login} sees only those)": (
        "事项 {id} 不存在或不属于{unit}（登录名 {login} 只能查看{unit}的事项）"
    ),
    "on a shared ledger the actor is the login {login}; --as {name} is not recorded": (
        "共享台账以登录名 {login} 记录操作人；--as {name} 不予记录"
    ),
    "the working days the units' reports fall due by on this ledger are not this configuration's; `oa escalate --auto` writes this configuration's": (
        "本台账中承办单位报送时限所依据的工作日与本配置不一致；运行 oa escalate --auto 可按本配置更新"
    ),
}
