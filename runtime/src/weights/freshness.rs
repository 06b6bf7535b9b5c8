//! The measurements are at least as new as what they measured: each pallet's
//! `<pallet>.sources.json` (written by `scripts/run-benchmarks.sh` with
//! `scripts/benchmarks/sources.py`) fingerprints the sources its benchmarks ran when its
//! `.measured.json` was made; these tests walk the same roots now, with the same rules, and fail
//! naming the pallet and the files that changed, appeared or disappeared since. The remedy is
//! `scripts/run-benchmarks.sh <pallet>` (then the coverage tests in `tests.rs` check the new
//! numbers).

use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The repository: the test process's `CARGO_MANIFEST_DIR` (the runtime crate), one level up;
/// read at run time, so that a test binary reused from another clone reads this one.
fn repository() -> PathBuf {
	let runtime: PathBuf = std::env::var("CARGO_MANIFEST_DIR")
		.unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())
		.into();
	runtime.parent().expect("the runtime crate sits in the repository").to_path_buf()
}

/// The file's code lines, by the rule of `sources.py`: its bytes without the lines whose first
/// non-blank characters are `//` (comments and doc comments), each kept line with its newline.
fn code_lines(bytes: &[u8]) -> Vec<u8> {
	bytes
		.split_inclusive(|b| *b == b'\n')
		.filter(|line| !line.trim_ascii_start().starts_with(b"//"))
		.flatten()
		.copied()
		.collect()
}

/// Whether `name` is counted, by the rules of `sources.py`.
fn counted(name: &str, excluded: &[String]) -> bool {
	name.ends_with(".rs") && !excluded.iter().any(|e| e == name) && !name.starts_with("tests_")
}

/// Every counted file under `root` (a directory or one file), as repository-relative paths.
fn files_of(repo: &Path, root: &str, excluded: &[String], out: &mut Vec<String>) {
	let path = repo.join(root);
	if path.is_file() {
		out.push(root.to_string());
		return;
	}
	let entries = std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
	for entry in entries {
		let entry = entry.expect("a directory entry");
		let name = entry.file_name().into_string().expect("UTF-8 file names");
		let relative = format!("{root}/{name}");
		if entry.file_type().expect("a file type").is_dir() {
			if name != "tests" {
				files_of(repo, &relative, excluded, out);
			}
		} else if counted(&name, excluded) {
			out.push(relative);
		}
	}
}

/// The files of `fingerprint` (a `.sources.json`) that differ from the repository now: changed,
/// new or gone, one line each.
fn stale_files(fingerprint: &str) -> Vec<String> {
	let fingerprint: Value = serde_json::from_str(fingerprint).expect("the fingerprint is JSON");
	let strings = |key: &str| -> Vec<String> {
		fingerprint[key]
			.as_array()
			.unwrap_or_else(|| panic!("the fingerprint has `{key}`"))
			.iter()
			.map(|v| v.as_str().expect("a string").to_string())
			.collect()
	};
	let (roots, excluded) = (strings("roots"), strings("excluded_files"));
	let measured: BTreeMap<String, String> = fingerprint["files"]
		.as_object()
		.expect("the fingerprint has `files`")
		.iter()
		.map(|(path, hash)| (path.clone(), hash.as_str().expect("a hex hash").to_string()))
		.collect();
	let repo = repository();
	let mut now = Vec::new();
	for root in &roots {
		files_of(&repo, root, &excluded, &mut now);
	}
	let now: BTreeMap<String, String> = now
		.into_iter()
		.map(|path| {
			let bytes = std::fs::read(repo.join(&path)).expect("a readable source");
			(path, hex::encode(Sha256::digest(code_lines(&bytes))))
		})
		.collect();
	let mut stale: Vec<String> = now
		.iter()
		.filter_map(|(path, hash)| match measured.get(path) {
			None => Some(format!("{path} (new since the measurement)")),
			Some(old) if old != hash => Some(format!("{path} (changed since the measurement)")),
			_ => None,
		})
		.collect();
	stale.extend(
		measured
			.keys()
			.filter(|path| !now.contains_key(*path))
			.map(|path| format!("{path} (gone since the measurement)")),
	);
	stale
}

/// Fails naming `pallet` and its stale files, if any.
fn assert_fresh(pallet: &str, fingerprint: &str) {
	let stale = stale_files(fingerprint);
	assert!(
		stale.is_empty(),
		"{pallet}'s weights were measured on other sources than these; run \
		 `scripts/run-benchmarks.sh {pallet}` (RELEASE=1 for the committed weights):\n  {}",
		stale.join("\n  ")
	);
}

#[test]
fn the_verifier_registry_was_measured_on_these_sources() {
	assert_fresh("pallet_verifier_registry", include_str!("pallet_verifier_registry.sources.json"));
}

#[test]
fn the_enclave_registry_was_measured_on_these_sources() {
	assert_fresh("pallet_enclave_registry", include_str!("pallet_enclave_registry.sources.json"));
}

#[test]
fn the_models_pallet_was_measured_on_these_sources() {
	assert_fresh("pallet_models", include_str!("pallet_models.sources.json"));
}

#[test]
fn the_settlement_pallet_was_measured_on_these_sources() {
	assert_fresh("pallet_settlement", include_str!("pallet_settlement.sources.json"));
}

#[test]
fn the_receipts_pallet_was_measured_on_these_sources() {
	assert_fresh(
		"pallet_inference_receipts",
		include_str!("pallet_inference_receipts.sources.json"),
	);
}

#[test]
fn a_changed_new_or_removed_source_is_stale() {
	let repo = repository();
	let lib = "pallets/settlement/src/lib.rs";
	let code = |path: &str| {
		hex::encode(Sha256::digest(code_lines(&std::fs::read(repo.join(path)).expect("a source"))))
	};
	let hash = code(lib);
	let fingerprint = |files: Value| {
		serde_json::json!({
			"roots": ["pallets/settlement/src"],
			"excluded_files": ["mock.rs", "tests.rs", "weights.rs"],
			"files": files,
		})
		.to_string()
	};
	let bench = "pallets/settlement/src/benchmarking.rs";
	let bench_hash = code(bench);
	// The same files and hashes: fresh.
	let same = fingerprint(serde_json::json!({ lib: hash, bench: bench_hash }));
	assert_eq!(stale_files(&same), Vec::<String>::new());
	// One byte of one hash differs: that file, changed.
	let mut other = hash.clone();
	other.replace_range(0..1, if hash.starts_with('0') { "1" } else { "0" });
	let changed = fingerprint(serde_json::json!({ lib: other, bench: bench_hash }));
	assert_eq!(stale_files(&changed), vec![format!("{lib} (changed since the measurement)")]);
	// A file the measurement did not see, and one it saw that is gone.
	let moved =
		fingerprint(serde_json::json!({ lib: hash, "pallets/settlement/src/old.rs": "00" }));
	assert_eq!(
		stale_files(&moved),
		vec![
			format!("{bench} (new since the measurement)"),
			"pallets/settlement/src/old.rs (gone since the measurement)".to_string(),
		]
	);
}

#[test]
fn a_comment_does_not_count_and_code_does() {
	let file = b"//! A module.\nfn a() {}\n\t/// Its doc.\n  // A note.\nfn b() {} // after code\n";
	let kept = b"fn a() {}\nfn b() {} // after code\n";
	assert_eq!(code_lines(file), kept);
	// Mending a comment or a doc comment keeps the fingerprint; code, or a comment after code,
	// changes it.
	let doc = b"//! A module, mended.\nfn a() {}\n\t/// Its doc, mended.\n  // A note.\nfn b() {} // after code\n";
	assert_eq!(code_lines(doc), code_lines(file));
	let code =
		b"//! A module.\nfn a() { 1; }\n\t/// Its doc.\n  // A note.\nfn b() {} // after code\n";
	assert_ne!(code_lines(code), code_lines(file));
	let trailing =
		b"//! A module.\nfn a() {}\n\t/// Its doc.\n  // A note.\nfn b() {} // changed\n";
	assert_ne!(code_lines(trailing), code_lines(file));
	// No newline at the end: the last line counts like the others.
	assert_eq!(code_lines(b"fn a() {}\n// end"), b"fn a() {}\n");
	assert_eq!(code_lines(b"fn a() {}"), b"fn a() {}");
}
