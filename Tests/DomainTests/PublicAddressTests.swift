import Domain
import Testing

@Suite("Public page addresses")
struct PublicAddressTests {
    @Test(
        "an address suggested from a town's name",
        arguments: [
            ("Amherst", "amherst" as String?), ("North Adams", "north-adams"), ("Town of Hadley (MA)", "town-of-hadley-ma"),
            ("Méthuen", "methuen"), ("  Pittsfield  ", "pittsfield"), ("Manchester-by-the-Sea", "manchester-by-the-sea"),
            ("A", nil), ("???", nil), ("", nil), ("東京", nil),
        ]
    )
    func suggested(name: String, slug: String?) {
        #expect(PublicAddress.suggest(from: name) == slug)
    }

    @Test(
        "what an address may be",
        arguments: [
            ("amherst", true), ("north-adams", true), ("fy2015", true), ("a", false), ("North", false), ("north--adams", false),
            ("-north", false), ("north-", false), ("north adams", false), ("nörth", false), (String(repeating: "a", count: 60), true),
            (String(repeating: "a", count: 61), false),
        ]
    )
    func valid(slug: String, valid: Bool) {
        #expect(PublicAddress.isValid(slug) == valid)
    }
}
