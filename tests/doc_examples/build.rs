//! Extracts the code examples of zephyr-asyncio's rustdoc into `$OUT_DIR/doc_examples.rs`, one
//! module per example, for `src/lib.rs` to compile: what rustdoc does with doc tests, for a crate
//! rustdoc cannot test (it only builds for Zephyr).
//!
//! An example is a fenced block in a `///` or `//!` comment, unless its fence names another
//! language (`text`, `c`, `sh`, `console`). Its code is items (a `use`, a `static`, an
//! `async fn`...); lines starting with `# ` are compiled but hidden from the rendered docs, as
//! rustdoc does.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const NOT_RUST: &[&str] = &["text", "c", "sh", "console", "toml", "yaml", "kconfig"];

fn main() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rust/zephyr-asyncio/src");
    println!("cargo:rerun-if-changed={}", src.display());
    let mut files = Vec::new();
    collect(&src, &mut files);
    files.sort();
    let mut out = String::new();
    let mut count = 0;
    for file in &files {
        let text = fs::read_to_string(file).expect("readable source");
        let name = file.strip_prefix(&src).unwrap().display().to_string();
        for (line, code) in examples(&text) {
            count += 1;
            let module = format!("{}_{line}", name.replace(['/', '.'], "_"));
            writeln!(out, "/// {name}:{line}\nmod {module} {{\n{code}}}\n").unwrap();
        }
    }
    writeln!(
        out,
        "/// How many examples were compiled.\npub const COUNT: usize = {count};"
    )
    .unwrap();
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("doc_examples.rs");
    fs::write(dest, out).expect("writable OUT_DIR");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source directory") {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// A fenced block being read: where it opened, whether it is Rust, its code so far.
struct Block {
    line: usize,
    rust: bool,
    code: String,
}

/// The Rust examples of one source file: (line of the opening fence, code).
fn examples(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut current: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(doc) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            continue;
        };
        let doc = doc.strip_prefix(' ').unwrap_or(doc);
        if let Some(info) = doc.trim_start().strip_prefix("```") {
            match current.take() {
                Some(block) if block.rust => found.push((block.line, block.code)),
                Some(_) => {}
                None => {
                    let rust = !info.split(',').any(|tag| NOT_RUST.contains(&tag.trim()));
                    current = Some(Block {
                        line: index + 1,
                        rust,
                        code: String::new(),
                    });
                }
            }
            continue;
        }
        if let Some(block) = current.as_mut() {
            // A hidden line (`# ` after any indentation) is compiled without its marker.
            let hidden = doc.trim_start();
            let hidden = hidden.strip_prefix("# ").or((hidden == "#").then_some(""));
            block.code.push_str(hidden.unwrap_or(doc));
            block.code.push('\n');
        }
    }
    found
}
