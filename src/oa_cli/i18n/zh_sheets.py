"""Chinese catalog part: the office's spreadsheets read by `import` (readers.sheets)."""

CATALOG: dict[str, str] = {
    "cannot read the workbook: {error}": "无法读取该工作簿：{error}",
    "read the sheet {sheet}; other sheets ignored: {others}": (
        "已读取工作表“{sheet}”，其他工作表未读取：{others}"
    ),
    "not an xlsx workbook (not a zip archive)": "不是 xlsx 工作簿（不是 zip 压缩文件）",
    "the workbook unpacks to {size}, more than the {limit} import reads": (
        "该工作簿解压后为 {size}，超过导入允许的 {limit}"
    ),
    "the workbook is damaged after row {row}: {error}": "该工作簿第 {row} 行之后已损坏：{error}",
    "the file is neither UTF-8 nor GB18030 text (byte {pos})": (
        "该文件既不是 UTF-8 也不是 GB18030 文本（第 {pos} 字节）"
    ),
    "the file is not UTF-8: read as GB18030 (the Chinese Excel's CSV)": (
        "该文件不是 UTF-8 编码，已按 GB18030（中文 Excel 的 CSV）读取"
    ),
    "line {line}: {error}": "第 {line} 行：{error}",
    "no column for the item ({label}): the columns found are {found}; "
    "the item's column is headed one of {names}": (
        "没有“{label}”列：找到的列为 {found}；事项列的列名应为 {names} 之一"
    ),
    "columns {first} and {second} both mean {label}: keep one of them": (
        "{first} 列和 {second} 列都表示“{label}”：请只保留其中一列"
    ),
    "{name}: not valid JSON: {error}": "{name}：JSON 格式错误：{error}",
}
