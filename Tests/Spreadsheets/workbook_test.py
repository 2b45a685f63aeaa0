"""Workbooks written by openpyxl imported through POST /v1/tenants/{t}/data-imports.

A new monthly measure of the demo's Amherst receives values from each file; each case
checks the answer (201 with the rows, or the refusal naming the cell) and what the
dashboard then shows. Run by scripts/spreadsheet-tests.sh.
"""
import argparse
import csv as csvlib
import datetime
import http.cookiejar
import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import openpyxl

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
passed = 0
failed = 0


def check(condition, name, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"✔ {name}")
    else:
        failed += 1
        print(f"✘ {name}")
        if detail:
            print("    " + str(detail)[:2000])


def call(base, method, path, token=None, body=None, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--work", required=True)
    options = parser.parse_args()
    base = options.base

    _, login = call(base, "POST", "/v1/auth/login", body={"email": "manager@amherst.demo", "password": "demo-ceo-2015"})
    token = login["token"]
    _, tenants = call(base, "GET", "/v1/tenants", token)
    tenant = next(t["id"] for t in tenants["items"] if t["name"] == "Amherst")
    _, departments = call(base, "GET", f"/v1/tenants/{tenant}/departments", token)
    status, measure = call(base, "POST", f"/v1/tenants/{tenant}/measures", token, {
        "departmentId": departments["items"][0]["id"], "name": "Workbook trees planted", "unit": "trees",
        "direction": "higher", "frequency": "monthly"})
    check(status == 201, "a measure to fill", measure)
    imports = f"/v1/tenants/{tenant}/data-imports"

    def send(data, sheet=None):
        return call(base, "POST", imports + (f"?sheet={sheet}" if sheet else ""), token, data, XLSX)

    def values():
        _, points = call(base, "GET", f"/v1/tenants/{tenant}/measures/{measure['id']}/data", token)
        return {p["period"]: p["value"] for p in (points.get("items") if isinstance(points, dict) else points)}

    # The long layout, periods as real date cells, a value as a formula-free float.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["measure", "period", "value"])
    sheet.append(["Workbook trees planted", datetime.date(2014, 7, 1), 12])
    sheet.append(["Workbook trees planted", datetime.date(2014, 8, 1), 0.1 + 0.2])
    status, answer = send(saved(book))
    check(status == 201 and answer["written"] == 2, "the long layout with date cells is imported", answer)
    check(values().get("2014-08-01") in ("0.3", 0.3), "a spreadsheet's binary 0.30000000000000004 is read as 0.3", values())

    # The wide layout towns keep: month text in the header, a row per measure, an empty
    # row in the middle, empty cells skipped.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Measure", "Sep 2014", "Oct 2014", "Nov 2014"])
    sheet.append([])
    sheet.append(["Workbook trees planted", 30, None, 50])
    status, answer = send(saved(book))
    check(status == 201 and answer["written"] == 2, "the wide layout with month text, an empty row and an empty cell", answer)
    check(values().get("2014-11-01") in ("50", 50), "the November value is in", values())

    # Real date cells as the header's months; the sheet chosen by name, the first hidden.
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "Notes"
    hidden.append(["nothing to import"])
    hidden.sheet_state = "hidden"
    sheet = book.create_sheet("Trees")
    sheet.append(["Measure", datetime.datetime(2014, 12, 1), datetime.datetime(2015, 1, 1)])
    sheet.append(["Workbook trees planted", 7, 8])
    other = book.create_sheet("Other")
    other.append(["Measure", "Feb 2015"])
    other.append(["Workbook trees planted", 9])
    status, answer = send(saved(book))
    check(status == 201 and answer["written"] == 2, "date cells as months; a hidden first sheet is passed over", answer)
    status, answer = send(saved(book), sheet="Other")
    check(status == 201 and answer["written"] == 1 and values().get("2015-02-01") in ("9", 9), "?sheet= picks a sheet by name", answer)
    status, answer = send(saved(book), sheet="Missing")
    check(status == 422 and "Trees" in json.dumps(answer), "an unknown sheet is refused, naming those there are", answer)

    # A bad cell is named by its reference, and nothing is written.
    before = values()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["Measure", "Mar 2015", "Apr 2015", "Summary"])
    sheet.append(["Workbook trees planted", 10, "twelve"])
    status, answer = send(saved(book))
    fields = [e["field"] for e in (answer or {}).get("errors", [])]
    check(status == 422 and "Sheet1!C2" in fields and "Sheet1!D1" in fields, "a bad value and a header that is no month are named by cell", answer)
    check(values() == before, "and nothing is written")

    # Not a workbook; a zip bomb refused unread.
    status, answer = send(b"measure,period,value\n")
    check(status == 422, "a file that is not a workbook is refused", answer)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            block = b" " * (1 << 20)
            for _ in range(200):
                part.write(block)
    status, answer = send(bomb.getvalue())
    check(status == 413 and len(bomb.getvalue()) < 1_000_000, f"a zip bomb ({len(bomb.getvalue())} bytes, 200 MiB inside) is refused", answer)

    # CSV as Excel saves it: a byte order mark, CRLF and `;`.
    csv = "\ufeffmeasure;period;value\r\nWorkbook trees planted;2015-05-01;11\r\n".encode()
    status, answer = call(base, "POST", imports, token, csv, "text/csv")
    check(status == 201 and answer["written"] == 1, "a CSV with a byte order mark, CRLF and semicolons", answer)

    # A round trip: the template downloaded, filled by openpyxl, sent back.
    request = urllib.request.Request(base + f"{imports}/template?fy=2015", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        kind = response.headers.get("Content-Type")
        template = openpyxl.load_workbook(io.BytesIO(response.read()))
    sheet = template.active
    header = [cell.value for cell in sheet[1]]
    check(kind == XLSX and header[0] == "Measure" and header[1] == datetime.datetime(2014, 7, 1) and sheet.freeze_panes == "A2",
          "the template: Measure, then the year's months as date cells, the header frozen", header)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Workbook trees planted")
    check(row[1].value == 12 and row[12].value is None, "the template holds the values entered, and blanks where none is", [c.value for c in row])
    row[12].value = 42  # June 2015
    status, answer = send(saved(template))
    check(status == 201 and answer["written"] == 1, "the filled template is imported: one value new, the rest unchanged", answer)
    check(values().get("2015-06-01") in ("42", 42), "June's value is in", values())
    status, _ = call(base, "GET", f"{imports}/template?fy=1800", token)
    check(status == 400, "a fiscal year out of range is refused")

    # Written by LibreOffice Calc: a formula (its cached value is read), a period it
    # turned into a date cell, and the wide layout with a month header of its making.
    def libreoffice(name, text, target="xlsx"):
        source = os.path.join(options.work, name)
        with open(source, "w", encoding="utf-8") as file:
            file.write(text)
        profile = "file://" + os.path.join(options.work, "lo-profile")
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target, "--outdir", options.work, source],
                       check=True, capture_output=True, timeout=120)
        with open(os.path.splitext(source)[0] + "." + target.split(":")[0], "rb") as file:
            return file.read()

    status, answer = send(libreoffice("formula.csv", "measure,period,value\nWorkbook trees planted,2015-03-01,=6*7\n"))
    check(status == 201 and values().get("2015-03-01") in ("42", 42), "LibreOffice: a formula's cached value, a date cell", answer)
    status, answer = send(libreoffice("wide.csv", "Measure,Apr 2015\nWorkbook trees planted,13\n"))
    check(status == 201 and values().get("2015-04-01") in ("13", 13), "LibreOffice: the wide layout", answer)

    # The console's Excel export, opened by LibreOffice, holds the dashboard's figures.
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(base + "/login", timeout=30).read()
    csrf = next(cookie.value for cookie in jar if cookie.name.endswith("mpmp_csrf"))
    form = urllib.parse.urlencode({"email": "manager@amherst.demo", "password": "demo-ceo-2015", "csrf": csrf}).encode()
    browser.open(urllib.request.Request(base + "/login", data=form, headers={"Origin": base}), timeout=30).read()
    exported = browser.open(base + f"/tenants/{tenant.lower()}/dashboard.xlsx?fy=2015", timeout=60).read()
    with open(os.path.join(options.work, "dashboard.xlsx"), "wb") as file:
        file.write(exported)
    profile = "file://" + os.path.join(options.work, "lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "csv", "--outdir", os.path.join(options.work, "back"),
                    os.path.join(options.work, "dashboard.xlsx")], check=True, capture_output=True, timeout=120)
    with open(os.path.join(options.work, "back", "dashboard.csv"), encoding="utf-8") as file:
        rows = list(csvlib.reader(file))
    _, dashboard = call(base, "GET", f"/v1/tenants/{tenant}/dashboard?fy=2015", token)
    expected = {m["measure"]["name"]: m.get("latest") for m in dashboard["measures"]}
    found = {row[1]: (float(row[5]) if row[5] else None) for row in rows[1:]}
    check(rows[0][:2] == ["Department", "Measure"] and len(found) == len(expected)
          and all(found[name] == (float(value) if value is not None else None) for name, value in expected.items()),
          "LibreOffice opens the dashboard's workbook, with the figures of the JSON", (rows[:3], expected))

    # The dashboard shows what came in.
    _, dashboard = call(base, "GET", f"/v1/tenants/{tenant}/dashboard?fy=2015", token)
    row = next(m for m in dashboard["measures"] if m["measure"]["name"] == "Workbook trees planted")
    check(row.get("latest") == 42 and {p["period"] for p in row["points"]} >= {"2014-11-01", "2015-02-01", "2015-05-01", "2015-06-01"},
          "the dashboard shows what the files brought", row)

    print(f"spreadsheets: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
