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

/** Saves the rows as a CSV file called `name` (with a byte-order mark, for spreadsheets). */
export function downloadCsv(rows, name) {
  saveBlob(new Blob(["\ufeff", toCsv(rows)], { type: "text/csv;charset=utf-8" }), name);
}

/** Has the browser save `blob` as a file called `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
