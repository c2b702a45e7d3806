//! What the chapters' section tests share.

use std::path::Path;

/// Writes an `estimates.json` where criterion would, with `nanos` as the
/// median: all that `bench::estimates::median` reads.
pub fn fake_estimate(dir: &Path, group: &str, id: &str, nanos: f64) {
    let path = bench::estimates::estimates_path(dir, group, id);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
    let json = format!(r#"{{"median":{{"point_estimate":{nanos}}}}}"#);
    std::fs::write(path, json).expect("written");
}
