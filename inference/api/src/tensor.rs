//! Tensors written as JSON: a flat array of numbers, or nested arrays in the tensor's natural
//! shape (an image `[[[r, g, …], …], …]` as `[channels][rows][columns]`), read row-major. The
//! shape a user writes may leave out the model's leading dimensions of size 1 (its batch): a
//! `[3, 32, 32]` image fits a model taking `[1, 3, 32, 32]`.

use serde_json::Value;

/// The deepest nesting read (an image with a batch is 4 deep).
pub const MAX_RANK: usize = 8;

/// A tensor read from JSON: its shape (`[n]` for a flat array) and its values, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonTensor<T> {
	/// The dimensions, outermost first.
	pub shape: Vec<usize>,
	/// The values, row-major.
	pub values: Vec<T>,
}

/// Reads `value` as a tensor of at most `max_values` values, each read by `leaf` (`None`: not a
/// value of the expected kind, named by `what`). Every array at one depth must have the same
/// length, and the leaves must all be at the deepest level.
pub fn tensor_from_json<T>(
	value: &Value,
	max_values: usize,
	what: &str,
	leaf: impl Fn(&Value) -> Option<T>,
) -> Result<JsonTensor<T>, String> {
	let mut shape = Vec::new();
	let mut probe = value;
	while let Value::Array(items) = probe {
		if shape.len() == MAX_RANK {
			return Err(format!("nested deeper than {MAX_RANK} arrays"));
		}
		shape.push(items.len());
		match items.first() {
			Some(first) => probe = first,
			None => return Err("an empty array".into()),
		}
	}
	if shape.is_empty() {
		return Err(format!("a JSON array expected ({what} per value, flat or nested)"));
	}
	let count = shape.iter().try_fold(1usize, |a, d| a.checked_mul(*d));
	match count {
		Some(n) if n <= max_values => {},
		_ => return Err(format!("a tensor of shape {shape:?}: at most {max_values} values")),
	}
	let mut values = Vec::new();
	flatten(value, &shape, 0, what, &leaf, &mut values)?;
	Ok(JsonTensor { shape, values })
}

fn flatten<T>(
	value: &Value,
	shape: &[usize],
	depth: usize,
	what: &str,
	leaf: &impl Fn(&Value) -> Option<T>,
	out: &mut Vec<T>,
) -> Result<(), String> {
	match (value, shape.get(depth)) {
		(Value::Array(items), Some(len)) if items.len() == *len => {
			items.iter().try_for_each(|item| flatten(item, shape, depth + 1, what, leaf, out))
		},
		(Value::Array(items), Some(len)) => Err(format!(
			"ragged: an array of {} items at depth {depth}, where the first has {len}",
			items.len()
		)),
		(Value::Array(_), None) => Err(format!("an array at depth {depth}, where {what} was")),
		(v, Some(_)) => Err(format!("{v} at depth {depth}, where an array was")),
		(v, None) => {
			out.push(leaf(v).ok_or_else(|| format!("{v} is not {what}"))?);
			Ok(())
		},
	}
}

/// Whether a tensor of shape `given` fits a model taking `model`: a flat array of as many
/// values, or the same shape once leading dimensions of size 1 are dropped from both.
pub fn fits(given: &[usize], model: &[u32]) -> bool {
	let model: Vec<usize> = model.iter().map(|d| *d as usize).collect();
	if let [values] = given {
		return model.iter().try_fold(1usize, |a, d| a.checked_mul(*d)) == Some(*values);
	}
	let trim =
		|dims: &[usize]| -> Vec<usize> { dims.iter().skip_while(|d| **d == 1).copied().collect() };
	trim(given) == trim(&model)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn read(text: &str) -> Result<JsonTensor<f64>, String> {
		tensor_from_json(&serde_json::from_str(text).unwrap(), 16, "a number", Value::as_f64)
	}

	#[test]
	fn flat_and_nested_arrays_read_row_major() {
		assert_eq!(
			read("[1, 2.5, 3]").unwrap(),
			JsonTensor { shape: vec![3], values: vec![1.0, 2.5, 3.0] }
		);
		let image = read("[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]").unwrap();
		assert_eq!(image.shape, [2, 2, 2]);
		assert_eq!(image.values, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
	}

	#[test]
	fn ragged_empty_deep_large_and_non_numeric_tensors_are_refused() {
		for (bad, says) in [
			("[[1, 2], [3]]", "ragged"),
			("[[1, 2], 3]", "where an array was"),
			("[1, [2]]", "where a number was"),
			("[]", "empty"),
			("[[]]", "empty"),
			("5", "a JSON array expected"),
			("[1, \"x\"]", "is not a number"),
			("[[[[[[[[[1]]]]]]]]]", "deeper"),
			("[[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1]]", "at most 16"),
		] {
			let e = read(bad).unwrap_err();
			assert!(e.contains(says), "{bad}: {e}");
		}
	}

	#[test]
	fn a_shape_fits_a_model_with_or_without_its_leading_ones() {
		assert!(fits(&[3, 32, 32], &[1, 3, 32, 32]));
		assert!(fits(&[1, 3, 32, 32], &[1, 3, 32, 32]));
		assert!(fits(&[3072], &[1, 3, 32, 32]));
		assert!(!fits(&[32, 32, 3], &[1, 3, 32, 32]));
		assert!(!fits(&[3071], &[1, 3, 32, 32]));
		assert!(!fits(&[2, 3], &[1, 3, 2]));
	}
}
