//! The hostile-input corpus: markup, odd unicode, ids that are not ids, numbers that are not
//! numbers, and sizes no form sends.

/// Values that must be stored and shown back exactly (when the field accepts free text).
pub const TEXT: [(&str, &str); 11] = [
    ("script", "<script>window.__pwned=1</script>"),
    (
        "textarea breakout",
        "</textarea><script>window.__pwned=1</script>",
    ),
    ("img onerror", "<img src=x onerror=\"window.__pwned=1\">"),
    ("svg onload", "\"><svg onload=\"window.__pwned=1\">"),
    ("javascript link", "javascript:window.__pwned=1"),
    ("rtl override", "abc\u{202E}gnp.exe\u{202C} done"),
    ("zero width", "zero\u{200B}width\u{200D}joiner\u{FEFF}bom"),
    ("emoji", "we did it 👩\u{200D}❤\u{FE0F}\u{200D}👨 🎉🇺🇦"),
    ("combining", "Z\u{0324}\u{0344}a\u{0320}l\u{0322}g\u{032A}o"),
    ("sql", "'; drop table app_user; --"),
    ("template", "{{7*7}} ${7*7} %s%n {0}"),
];

/// Values no field should accept as they are; each must be refused cleanly or stored as text.
pub const ODD: [(&str, &str); 11] = [
    ("empty", ""),
    ("nul byte", "a\u{0}b"),
    ("control chars", "a\u{1}\u{7}\u{1b}[31mb"),
    ("not an id", "not-a-uuid"),
    ("uuid of nothing", "00000000-0000-4000-8000-000000000000"),
    ("negative", "-1"),
    ("huge number", "99999999999999999999999"),
    ("float", "1e309"),
    ("path", "../../etc/passwd"),
    ("spaces", "   "),
    ("newlines", "line one\r\nline two\n\n"),
];

/// Text longer than any field allows but under the body limit: refused as validation.
pub fn long_text() -> String {
    "long ".repeat(40_000)
}

/// Raw request bodies that are not a well-formed form of the function's arguments.
pub const MALFORMED: [(&str, &str, &[u8]); 9] = [
    (
        "truncated percent escape",
        "application/x-www-form-urlencoded",
        b"a=%E0%A4%",
    ),
    (
        "invalid utf-8",
        "application/x-www-form-urlencoded",
        b"a=\xff\xfe\xfd",
    ),
    (
        "unbalanced brackets",
        "application/x-www-form-urlencoded",
        b"x[=1&y]]=2&[z=3",
    ),
    (
        "nested map",
        "application/x-www-form-urlencoded",
        b"sections[a][b]=1&answers[1][2]=x",
    ),
    (
        "digit keys",
        "application/x-www-form-urlencoded",
        b"answers[1]=x&sections[2x]=y&csi[99]=7",
    ),
    (
        "json body",
        "application/json",
        b"{\"couple_id\": 1, \"body\": [",
    ),
    ("plain text", "text/plain", b"hello"),
    (
        "multipart garbage",
        "multipart/form-data; boundary=zz",
        b"--zz\r\nContent-Disp",
    ),
    (
        "binary",
        "application/octet-stream",
        b"\x00\x01\x02\x03\xff",
    ),
];
