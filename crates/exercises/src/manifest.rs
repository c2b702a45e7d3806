//! Just enough of `Cargo.toml` for the checks: the string values of a key, table
//! by table.
//!
//! A shortcut: this reads `key = "value"` lines and `[table]` headers only, which
//! is all our own manifests use. A real tool would parse TOML with the `toml`
//! crate; the checker stays dependency-free instead.

/// The string values of `key` in every table named `table`, in file order.
/// `[[test]]` tables are named `test`, like `[lib]` is named `lib`.
pub fn values(manifest: &str, table: &str, key: &str) -> Vec<String> {
    let mut current = "";
    let mut found = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            current = line.trim_matches(|c| c == '[' || c == ']').trim();
        } else if current == table {
            found.extend(string_value(line, key));
        }
    }
    found
}

/// The first value of `key` in `table`, if any.
pub fn value(manifest: &str, table: &str, key: &str) -> Option<String> {
    values(manifest, table, key).into_iter().next()
}

/// The name `use` sees: `[lib] name`, else the package name with `_` for `-`.
pub fn lib_name(manifest: &str) -> Option<String> {
    let package = || value(manifest, "package", "name").map(|n| n.replace('-', "_"));
    value(manifest, "lib", "name").or_else(package)
}

/// `"value"` from a line `key = "value" # comment`, when the key matches.
fn string_value(line: &str, key: &str) -> Option<String> {
    let (name, rest) = line.split_once('=')?;
    let rest = rest.trim().strip_prefix('"')?;
    let end = rest.find('"')?;
    (name.trim() == key).then(|| rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLUTION: &str = r#"
[package]
name = "ch1-countdown-solution"

[lib]
name = "ch1_countdown" # the exercise's

[[test]]
name = "check"
path = "../../exercises/ch1-countdown/tests/check.rs"

[dev-dependencies]
futures.workspace = true
"#;

    #[test]
    fn values_are_read_from_their_own_table_only() {
        assert_eq!(
            value(SOLUTION, "package", "name").unwrap(),
            "ch1-countdown-solution"
        );
        assert_eq!(
            values(SOLUTION, "test", "path"),
            ["../../exercises/ch1-countdown/tests/check.rs"]
        );
        assert_eq!(value(SOLUTION, "dev-dependencies", "name"), None);
    }

    #[test]
    fn lib_name_prefers_the_lib_table_and_ignores_comments() {
        assert_eq!(lib_name(SOLUTION).unwrap(), "ch1_countdown");
    }

    #[test]
    fn lib_name_falls_back_to_the_package_name() {
        let exercise = "[package]\nname = \"ch1-countdown\"\n";
        assert_eq!(lib_name(exercise).unwrap(), "ch1_countdown");
    }
}
