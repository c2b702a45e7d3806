//! What the checks read from a `Cargo.toml`: the string values of a key, table by
//! table, parsed with the `toml` crate.
//!
//! A manifest that is not valid TOML has no values here; `cargo` itself reports
//! it as soon as the exercise is built.

use toml::{Table, Value};

/// The string values of `key` in every table named `table`, in file order.
/// `table` is a dotted path (`package.metadata.exercise`); `[[test]]` tables are
/// named `test`, like `[lib]` is named `lib`. Values that are not strings are
/// left out.
pub fn values(manifest: &str, table: &str, key: &str) -> Vec<String> {
    let Ok(root) = manifest.parse::<Table>() else {
        return Vec::new();
    };
    let mut tables = vec![&root];
    for name in table.split('.') {
        tables = tables
            .into_iter()
            .filter_map(|table| table.get(name))
            .flat_map(tables_in)
            .collect();
    }
    tables
        .into_iter()
        .filter_map(|table| table.get(key)?.as_str())
        .map(str::to_string)
        .collect()
}

/// `value` itself when it is a table, each table in it when it is an array of
/// tables (`[[test]]`).
fn tables_in(value: &Value) -> Vec<&Table> {
    match value {
        Value::Table(table) => vec![table],
        Value::Array(items) => items.iter().filter_map(Value::as_table).collect(),
        _ => Vec::new(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const SOLUTION: &str = r#"
[package]
name = "ch1-countdown-solution"

[package.metadata.exercise]
order = "1"

[lib]
name = "ch1_countdown" # the exercise's

[[test]]
name = "check"
path = "../../exercises/ch1-countdown/tests/check.rs"

[[test]]
name = "more"
path = "../../exercises/ch1-countdown/tests/more.rs"

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
            [
                "../../exercises/ch1-countdown/tests/check.rs",
                "../../exercises/ch1-countdown/tests/more.rs"
            ]
        );
        assert_eq!(value(SOLUTION, "dev-dependencies", "name"), None);
    }

    #[test]
    fn nested_tables_are_named_by_their_dotted_path() {
        assert_eq!(
            value(SOLUTION, "package.metadata.exercise", "order").unwrap(),
            "1"
        );
        assert_eq!(value(SOLUTION, "metadata.exercise", "order"), None);
    }

    #[test]
    fn dotted_keys_inline_tables_and_escapes_are_read_as_toml_means_them() {
        let manifest = r#"
package.name = "ch1-countdown"
package.metadata.exercise = { order = "2" }
lib = { name = 'ch1_"countdown"' }
[[test]]
path = "tests/\u0063heck.rs"
"#;
        assert_eq!(value(manifest, "package", "name").unwrap(), "ch1-countdown");
        assert_eq!(
            value(manifest, "package.metadata.exercise", "order").unwrap(),
            "2"
        );
        assert_eq!(lib_name(manifest).unwrap(), "ch1_\"countdown\"");
        assert_eq!(values(manifest, "test", "path"), ["tests/check.rs"]);
    }

    #[test]
    fn values_that_are_not_strings_are_left_out() {
        let manifest = "[package.metadata.exercise]\norder = 1\n";
        assert_eq!(value(manifest, "package.metadata.exercise", "order"), None);
    }

    #[test]
    fn a_manifest_that_is_not_toml_has_no_values() {
        let manifest = "[package]\nname = \"ch1-countdown\"\nname = \"twice\"\n";
        assert_eq!(value(manifest, "package", "name"), None);
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
