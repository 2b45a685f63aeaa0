import Domain
import Hummingbird

/// `?fy=2015`: a fiscal year from 2000 to 2200, or a 400 naming `fy`.
enum FiscalYearParameter {
    static func optional(_ request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters["fy"] else { return nil }
        guard let year = Int(String(text)), (2000...2200).contains(year) else {
            throw Problem.badRequest(field: "fy", reason: "must be a fiscal year such as 2015")
        }
        return year
    }
}

/// `?asOf=2015-03-31`: a date from 1900-01-01 to 2199-12-31, or a 400 naming the parameter.
enum DateParameter {
    static func optional(_ request: Request, _ name: String) throws -> CivilDate? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let date = CivilDate(iso8601: String(text)) else {
            throw Problem.badRequest(field: name, reason: "must be a date as YYYY-MM-DD")
        }
        guard CivilDate.supportedRange.contains(date) else {
            throw Problem.badRequest(field: name, reason: "must be a date from 1900-01-01 to 2199-12-31")
        }
        return date
    }
}
