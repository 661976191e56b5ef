import AnalyticsKit

/// Given names and titles that tell whether a named person is a woman or a man, so that "she" is not
/// resolved to the last man named (nor "he" to the last woman).
///
/// The team's own short lists of given names that English-language news nearly always gives to one
/// sex, and of the names of people its stories quote often; names used for both (Alex, Jordan, Jean,
/// Chris, Kim) are left out on purpose. A name on neither list, and most names from outside English,
/// are "unknown": those people stay candidates for either pronoun, as every person was before.
enum GivenNames {
    /// What a name says about its bearer.
    enum Sex {
        case female, male, unknown
    }

    static let female = QuoteLexicon.set([
        "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy", "lisa",
        "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna", "michelle", "dorothy", "carol", "amanda", "melissa",
        "deborah", "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy", "angela", "shirley", "anna", "brenda",
        "pamela", "emma", "nicole", "helen", "samantha", "katherine", "christine", "debra", "rachel", "carolyn", "janet",
        "catherine", "maria", "heather", "diane", "ruth", "julie", "olivia", "joyce", "virginia", "victoria", "kelly", "lauren",
        "christina", "joan", "evelyn", "judith", "megan", "andrea", "cheryl", "hannah", "jacqueline", "martha", "gloria", "teresa",
        "ann", "sara", "frances", "kathryn", "janice", "abigail", "alice", "judy", "sophia", "grace", "denise", "amber", "doris",
        "marilyn", "danielle", "beverly", "isabella", "theresa", "diana", "natalie", "charlotte", "marie", "hillary", "elena", "ana",
        "helga", "marisa", "priya", "carla", "mara", "nikki", "melania", "ivanka", "chelsea", "huma", "kellyanne", "claire",
        "sophie", "julia", "anne", "eva", "irene", "rosa", "lucia", "fatima", "aisha", "olga", "ingrid", "elaine",
        "condoleezza", "madeleine", "loretta", "debbie", "tulsi", "kamala", "carly", "sairagul", "petra", "dora", "maren",
    ])

    static let male = QuoteLexicon.set([
        "james", "robert", "john", "michael", "david", "william", "richard", "joseph", "thomas", "charles", "christopher",
        "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul", "andrew", "joshua", "kenneth", "kevin", "brian",
        "george", "timothy", "ronald", "edward", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan",
        "stephen", "larry", "justin", "scott", "brandon", "benjamin", "samuel", "gregory", "frank", "alexander", "raymond",
        "patrick", "jack", "dennis", "jerry", "tyler", "aaron", "jose", "adam", "nathan", "henry", "douglas", "zachary", "peter",
        "kyle", "walter", "ethan", "jeremy", "harold", "keith", "roger", "gerald", "carl", "sean", "arthur", "lawrence", "bryan",
        "joe", "billy", "bruce", "albert", "gabriel", "alan", "juan", "wayne", "roy", "ralph", "randy", "eugene", "vincent",
        "russell", "louis", "bobby", "philip", "johnny", "barack", "bernie", "ted", "marco", "jeb", "mike", "mitt", "bill", "rand",
        "ben", "tim", "tom", "tomas", "jonas", "kofi", "idris", "ian", "serikzhan", "vladimir", "boris", "emmanuel", "francis",
        "mohammed", "muhammad", "ahmed", "omar", "hans", "klaus", "pierre", "carlos", "luis", "miguel", "pedro", "ivan", "sergei",
        "newt", "reince", "rudy", "harry", "mitch", "rick", "jim", "bob", "dick", "tony", "steve", "dan",
    ])

    /// Titles that say which: "Mrs. Clinton", "Mr. Trump".
    static let femaleTitles = QuoteLexicon.set(["mrs.", "mrs", "ms.", "ms", "miss", "madam"])
    static let maleTitles = QuoteLexicon.set(["mr.", "mr", "sir"])
    /// What the words of a name, from `start`, say about its bearer: its first word that is a
    /// gendered title or a given name on the lists ("Texas Sen. Ted Cruz" is a man by "Ted").
    static func sex(ofNameAt start: Int, end: Int, tokens: [Token]) -> Sex {
        for k in start..<end {
            let word = tokens[k].hash
            if femaleTitles.contains(word) || female.contains(word) { return .female }
            if maleTitles.contains(word) || male.contains(word) { return .male }
        }
        return .unknown
    }
}
