import Domain
import Foundation

/// The demo program of DESIGN.md section 9, from the poster: MPMP FY2013 to FY2015, the
/// SDPMP pilot, Rhode Island prospects. Town names and populations are public facts
/// (2010 census); measures and values are synthetic, plausible and deterministic.
enum DemoProgram {
    struct Town {
        let name: String
        let population: Int
    }

    /// Massachusetts municipalities, in the order they joined: the first 20 in FY2013
    /// (the six-month pilot), the first 36 in FY2014, the first 42 in FY2015.
    static let towns: [Town] = [
        ("Amherst", 37_819), ("Andover", 33_201), ("Arlington", 42_844), ("Ashland", 16_593), ("Barnstable", 45_193),
        ("Belmont", 24_729), ("Beverly", 39_502), ("Braintree", 35_744), ("Chelmsford", 33_802), ("Chelsea", 35_177),
        ("Concord", 17_668), ("Dedham", 24_729), ("Easthampton", 16_053), ("Framingham", 68_318), ("Franklin", 31_635),
        ("Gardner", 20_228), ("Greenfield", 17_456), ("Holyoke", 39_880), ("Hudson", 19_063), ("Leominster", 40_759),
        ("Lexington", 31_394), ("Lowell", 106_519), ("Marlborough", 38_499), ("Melrose", 26_983), ("Natick", 33_006),
        ("Needham", 28_886), ("Northampton", 28_549), ("Norwood", 28_602), ("Peabody", 51_251), ("Pittsfield", 44_737),
        ("Rockport", 6_952), ("Salem", 41_340), ("Shrewsbury", 35_608), ("Somerville", 75_754), ("Stoughton", 26_962),
        ("Sudbury", 17_659), ("Swampscott", 13_787), ("Taunton", 55_874), ("Wakefield", 24_932), ("Walpole", 24_070),
        ("Watertown", 31_915), ("Wellesley", 27_982), ("Westford", 21_951), ("Winchendon", 10_300), ("Worcester", 181_045),
    ].map { Town(name: $0.0, population: $0.1) }

    /// School districts of the SDPMP pilot, with enrollments (synthetic, of the right size).
    static let schoolDistricts: [Town] = [
        ("Worcester Public Schools", 24_800), ("Lowell Public Schools", 14_100), ("Fall River Public Schools", 10_200),
    ].map { Town(name: $0.0, population: $0.1) }

    /// Rhode Island municipalities considering the pilot (not enrolled).
    static let rhodeIslandProspects: [Town] = [
        ("Providence", 178_042), ("Warwick", 82_672), ("Cranston", 80_387), ("Pawtucket", 71_148), ("Newport", 24_672),
    ].map { Town(name: $0.0, population: $0.1) }

    struct Year {
        let fiscalYear: Int
        let towns: Int
        let analysts: Int
        let budgetCents: Int64
        let stateShareBasisPoints: Int
        /// Fee tiers by population (minimum, cents); none: no fees (the state pays all).
        let tiers: [(Int, Int64)]
    }

    /// The poster's figures.
    static let years: [Year] = [
        Year(fiscalYear: 2013, towns: 20, analysts: 5, budgetCents: 30_000_000, stateShareBasisPoints: 10_000, tiers: []),
        Year(fiscalYear: 2014, towns: 36, analysts: 6, budgetCents: 55_000_000, stateShareBasisPoints: 6_000,
             tiers: [(0, 400_000), (15_000, 550_000), (30_000, 650_000), (50_000, 800_000)]),
        Year(fiscalYear: 2015, towns: 42, analysts: 7, budgetCents: 75_000_000, stateShareBasisPoints: 3_300,
             tiers: [(0, 900_000), (15_000, 1_100_000), (30_000, 1_300_000), (50_000, 1_500_000)]),
    ]

    struct Template {
        let name: String
        let definition: String
        let unit: String
        let direction: String
        let target: Decimal
        /// Values drift in [low, high], a tenth at a time.
        let low: Int
        let high: Int
    }

    static let templates: [Template] = [
        Template(name: "Police emergency response time", definition: "Median minutes from a priority-1 call to the first officer on scene.", unit: "minutes", direction: "lower", target: 6.5, low: 52, high: 80),
        Template(name: "Pothole repair time", definition: "Mean days from a pothole report to its repair.", unit: "days", direction: "lower", target: 5, low: 25, high: 90),
        Template(name: "Building permit turnaround", definition: "Median days from a complete application to a decision.", unit: "days", direction: "lower", target: 14, low: 90, high: 220),
        Template(name: "Library visits per 1,000 residents", definition: "Visits to all branches in the month per 1,000 residents.", unit: "visits", direction: "higher", target: 400, low: 3_000, high: 5_000),
        Template(name: "Recycling diversion rate", definition: "Share of residential waste recycled or composted.", unit: "percent", direction: "higher", target: 35, low: 250, high: 420),
    ]

    static let schoolTemplates: [Template] = [
        Template(name: "Chronic absenteeism rate", definition: "Share of students absent 10 % or more of school days.", unit: "percent", direction: "lower", target: 12, low: 80, high: 190),
        Template(name: "Grade 3 reading proficiency", definition: "Share of third graders meeting the reading standard.", unit: "percent", direction: "higher", target: 60, low: 420, high: 680),
    ]

    /// The demo's logins: known passwords, printed by `make run`.
    static let directorEmail = "director@mpmp.demo"
    static let directorPassword = "demo-director-2015"
    static let analystPassword = "demo-analyst-2015"
    static let chiefExecutivePassword = "demo-ceo-2015"
    static let departmentHeadPassword = "demo-head-2015"

    static func analystEmail(_ number: Int) -> String { "analyst\(number)@mpmp.demo" }

    /// A value that looks like a town's month: deterministic, drifting, in [low, high] tenths.
    static func value(template: Int, tenant: Int, month: Int, low: Int, high: Int) -> Quantity {
        var state = UInt64(truncatingIfNeeded: template &* 7_919 &+ tenant &* 104_729 &+ month &* 1_299_709)
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let noise = Int((state >> 33) % UInt64(max(1, (high - low) / 3)))
        let seasonal = (month % 12 < 6 ? 1 : -1) * ((high - low) / 8)
        let improvement = -(month * (high - low)) / 200  // a slow, steady improvement
        let tenths = min(high, max(low, low + (high - low) / 3 + noise + seasonal + improvement))
        return Quantity(mantissa: Int128(tenths) * (Quantity.scale / 10)) ?? .zero
    }

    /// A stable id for a demo record, so that the walk-through in the README can name it.
    static func id(_ key: String) -> UUID {
        var hasher = FNV1a()
        hasher.add("mpmp-demo/\(key)")
        let high = hasher.value
        hasher.add("/second-half")
        let low = hasher.value
        var bytes = withUnsafeBytes(of: high.bigEndian) { Array($0) } + withUnsafeBytes(of: low.bigEndian) { Array($0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4 layout
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    struct FNV1a {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func add(_ text: String) {
            for byte in text.utf8 {
                value ^= UInt64(byte)
                value = value &* 0x100_0000_01b3
            }
        }
    }
}
