import Domain
import Foundation
import Testing

private let (a, b, c, d) = (UUID(), UUID(), UUID(), UUID())
private let january = CivilDate(year: 2015, month: 1, day: 1)
private let february = CivilDate(year: 2015, month: 2, day: 1)

private func value(_ tenantID: UUID, _ sharing: Sharing, _ number: String, period: CivilDate? = january, name: String? = nil) throws -> SharedValue {
    SharedValue(tenantID: tenantID, tenantName: name, sharing: sharing, period: try #require(period), value: try #require(Quantity(number)))
}

/// DESIGN.md section 5: anonymized values only as aggregates over at least three tenants
/// the caller cannot see, so that nobody can take their own values back out.
@Suite("Peer benchmarks")
struct BenchmarkTests {
    /// Four tenants share anonymously in January: 10, 20, 30 and 1000 (d's).
    static func fourSharers() throws -> [SharedValue] {
        try [value(a, .anonymized, "10"), value(b, .anonymized, "20"), value(c, .anonymized, "30"), value(d, .anonymized, "1000")]
    }

    enum Caller: String, CaseIterable {
        case stranger, holdsD, holdsCAndD, holdsAll, centerAdmin

        var visibility: TenantVisibility {
            switch self {
            case .stranger: .only([])
            case .holdsD: .only([d])
            case .holdsCAndD: .only([c, d])
            case .holdsAll: .only([a, b, c, d])
            case .centerAdmin: .all
            }
        }
    }

    @Test(
        "who sees which figures",
        arguments: [
            // hidden sharers, January's (count, minimum, maximum, mean, median) or nil
            (Caller.stranger, 4, (4, "10", "1000", "265", "25") as (Int, String, String, String, String)?),
            (.holdsD, 3, (3, "10", "30", "20", "20")),
            (.holdsCAndD, 2, nil),
            (.holdsAll, 0, nil),
            (.centerAdmin, 0, nil),
        ]
    )
    func visibility(caller: Caller, hiddenSharers: Int, expected: (Int, String, String, String, String)?) throws {
        let benchmark = Benchmark.compile(try Self.fourSharers(), visibility: caller.visibility)
        #expect(benchmark.hiddenSharers == hiddenSharers)
        #expect(benchmark.named.isEmpty)
        guard let expected else {
            #expect(benchmark.anonymized.isEmpty)
            return
        }
        let figures = try #require(benchmark.anonymized.first)
        #expect(benchmark.anonymized.count == 1)
        #expect(figures.period == january)
        #expect(figures.sharers == expected.0 && figures.count == expected.0)
        #expect(figures.minimum.description == expected.1)
        #expect(figures.maximum.description == expected.2)
        #expect(figures.mean.description == expected.3)
        #expect(figures.median.description == expected.4)
    }

    @Test("an analyst holding two of three sharers gets no anonymized figures")
    func twoOfThree() throws {
        let three = try Self.fourSharers().filter { $0.tenantID != d }
        let benchmark = Benchmark.compile(three, visibility: .only([a, b]))
        #expect(benchmark.hiddenSharers == 1)
        #expect(benchmark.anonymized.isEmpty)
    }

    @Test("the caller's own values never enter the figures")
    func ownValuesStayOut() throws {
        // d is the caller's tenant and shares an extreme value in both months; a, b, c are hidden.
        let inFebruary = try [
            value(d, .anonymized, "-5000", period: february), value(a, .anonymized, "1", period: february),
            value(b, .anonymized, "2", period: february), value(c, .anonymized, "2", period: february),
        ]
        let values = try Self.fourSharers() + inFebruary
        let benchmark = Benchmark.compile(values, visibility: TenantVisibility(Principal(userID: UUID(), grants: [TenantGrant(tenantID: d, role: .chiefExecutive)])))
        #expect(benchmark.anonymized.map(\.period) == [january, february])
        for figures in benchmark.anonymized {
            #expect(figures.count == 3 && figures.sharers == 3)
            #expect(figures.minimum > Quantity(-5000) ?? .zero)
            #expect(figures.maximum < Quantity(1000) ?? .zero)
        }
        let februaryFigures = try #require(benchmark.anonymized.last)
        #expect(februaryFigures.mean.description == "1.666666666666666667")
        #expect(februaryFigures.median.description == "2")
    }

    @Test("a period with fewer than three hidden tenants is left out, even when others qualify")
    func sparsePeriod() throws {
        let values = try Self.fourSharers() + [value(a, .anonymized, "7", period: february), value(b, .anonymized, "8", period: february)]
        let benchmark = Benchmark.compile(values, visibility: .only([]))
        #expect(benchmark.hiddenSharers == 4)
        #expect(benchmark.anonymized.map(\.period) == [january])
    }

    @Test("three values from two tenants are not three sharers; two values of one tenant count as two values")
    func tenantsNotValues() throws {
        let twoTenants = try [value(a, .anonymized, "1"), value(a, .anonymized, "2"), value(b, .anonymized, "3")]
        #expect(Benchmark.compile(twoTenants, visibility: .only([])).anonymized.isEmpty)
        let threeTenants = try twoTenants + [value(c, .anonymized, "4")]
        let figures = try #require(Benchmark.compile(threeTenants, visibility: .only([])).anonymized.first)
        #expect(figures.sharers == 3 && figures.count == 4)
        #expect(figures.median.description == "2.5")
        #expect(figures.mean.description == "2.5")
    }

    @Test("a tenant that shares by name is not hidden: its anonymized values stay out")
    func namedTenantIsVisible() throws {
        let values = try Self.fourSharers().filter { $0.tenantID != d } + [value(c, .named, "31", name: "Chelsea")]
        let benchmark = Benchmark.compile(values, visibility: .only([]))
        #expect(benchmark.hiddenSharers == 2)
        #expect(benchmark.anonymized.isEmpty)
        #expect(benchmark.named.map(\.tenantName) == ["Chelsea"])
    }

    @Test("named series: by name, values by period; private values never appear")
    func named() throws {
        let values = try [
            value(b, .named, "5", period: february, name: "Worcester"), value(a, .named, "3", period: february, name: "Amherst"),
            value(b, .named, "4", name: "Worcester"), value(c, .private, "99"), value(d, .named, "1", name: nil),
        ]
        let benchmark = Benchmark.compile(values, visibility: .only([]))
        #expect(benchmark.named.map(\.tenantName) == ["", "Amherst", "Worcester"])
        #expect(benchmark.named.last?.values.map(\.value.description) == ["4", "5"])
        #expect(benchmark.named.last?.tenantID == b)
        #expect(benchmark.hiddenSharers == 0 && benchmark.anonymized.isEmpty)
    }

    @Test("means and medians round half-even; the ends of the range do not overflow")
    func rounding() throws {
        let max = "999999999999999.999999999999999999"
        let cases: [([String], mean: String, median: String)] = [
            (["-1", "-2", "-2"], "-1.666666666666666667", "-2"),
            (["0.000000000000000001", "0.000000000000000002", "0.000000000000000002", "0.000000000000000002"], "0.000000000000000002", "0.000000000000000002"),
            (["0.000000000000000001", "0.000000000000000002", "0", "0"], "0.000000000000000001", "0"),
            (["0.000000000000000001", "0", "0", "0.000000000000000001"], "0", "0"),
            (["0.000000000000000001", "0.000000000000000002", "0.000000000000000001", "0.000000000000000002"], "0.000000000000000002", "0.000000000000000002"),
            ([max, max, max], max, max),
            (["-" + max, "-" + max, "-" + max, "-" + max], "-" + max, "-" + max),
            (["-" + max, max, "0"], "0", "0"),
        ]
        for (numbers, mean, median) in cases {
            let values = try zip([a, b, c, d], numbers).map { try value($0.0, .anonymized, $0.1) }
            let figures = try #require(Benchmark.compile(values, visibility: .only([])).anonymized.first)
            #expect(figures.mean.description == mean, "\(numbers)")
            #expect(figures.median.description == median, "\(numbers)")
        }
    }

    @Test("visibility from a principal")
    func principals() {
        #expect(TenantVisibility(Principal(userID: UUID(), isCenterAdmin: true)) == .all)
        let analyst = Principal(userID: UUID(), grants: [TenantGrant(tenantID: a, role: .analyst), TenantGrant(tenantID: b, role: .departmentHead(departmentID: UUID()))])
        #expect(TenantVisibility(analyst) == .only([a, b]))
        #expect(TenantVisibility.all.includes(UUID()))
    }
}
