//! A small book written to a temporary folder, removed again when dropped.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process;

/// `ROOT/book/src/…` for the chapters and `ROOT/code/…` for the files they include,
/// like the real repository's `book/src` and `crates`.
#[derive(Debug)]
pub struct TempBook {
    pub root: PathBuf,
}

impl TempBook {
    /// An empty book; `name` keeps tests that run at the same time apart.
    pub fn new(name: &str) -> TempBook {
        let root = env::temp_dir().join(format!("book-check-{}-{name}", process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("book/src")).expect("the temp folder is writable");
        TempBook { root }
    }

    /// Writes `text` to `path`, relative to the root, making folders as needed.
    pub fn write(&self, path: &str, text: &str) -> &TempBook {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().expect("a file has a folder"))
            .expect("the temp folder is writable");
        fs::write(path, text).expect("the temp folder is writable");
        self
    }
}

impl Drop for TempBook {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}
