//! Chapter 9's fan-out benchmark (being written).

use std::path::Path;

/// Chapter 9's appendix section.
pub fn section(_criterion_dir: &Path) -> Result<String, String> {
    Ok("### Chapter 9: fan-out\n\nNot measured yet.\n".to_owned())
}
