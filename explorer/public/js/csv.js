// CSV for people who work in spreadsheets: RFC 4180 quoting, and cells that a spreadsheet
// would run as a formula are made plain text.

export function toCsv(rows) {
  return rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

function cell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A link that downloads the rows as a CSV file. */
export function csvHref(rows) {
  return `data:text/csv;charset=utf-8,${encodeURIComponent("\ufeff" + toCsv(rows))}`;
}
