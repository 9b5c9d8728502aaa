//! Bounds on a component's structure, checked in one linear pass before
//! wasmtime compiles it.
//!
//! Compiling a component flattens it: every instantiation of a nested
//! component is inlined, so a component of a few hundred bytes that
//! instantiates a nested component ten times, each instantiating another ten
//! times, and so on, amounts to millions of instances, minutes of compiling
//! and gigabytes of memory before wasmtime's own limits refuse it.
//! Validating deeply nested components also costs time quadratic in their
//! depth. What toolchains produce is far inside these bounds: one level of
//! nesting and a handful of instantiations.

use super::validate::LoadError;
use wasmparser::{ComponentInstance, Encoding, Parser, Payload};

/// How deep components and core modules may nest.
pub const MAX_NESTING: usize = 16;
/// The most component instances a component may flatten to.
pub const MAX_INLINED_INSTANCES: u64 = 10_000;
/// The most definitions (core instances, component instances, aliases,
/// canonical functions, exports) a component may flatten to.
pub const MAX_INLINED_DEFINITIONS: u64 = 2_000_000;

/// One component or module being read.
struct Frame {
    /// A core module: it holds no instantiations of components.
    module: bool,
    /// Components it instantiates.
    instantiations: u64,
    /// Definitions it holds.
    definitions: u64,
}

/// Upper bounds of what the component flattens to, from the components
/// read so far.
///
/// Instantiating a component instantiates each component it instantiates in
/// turn, and no component instantiates itself, even through others: a path
/// of the tree of inlined instances meets each component definition at most
/// once, choosing one of its instantiations or stopping there. The tree has
/// at most the product, over every component definition, of one plus its
/// instantiations; each instance of it holds at most the largest number of
/// definitions any component holds.
#[derive(Default)]
struct Bounds {
    instances: u64,
    definitions_per_instance: u64,
}

impl Bounds {
    fn add(&mut self, component: &Frame) -> Result<(), LoadError> {
        self.instances = self
            .instances
            .max(1)
            .saturating_mul(component.instantiations + 1);
        self.definitions_per_instance = self.definitions_per_instance.max(component.definitions);
        if self.instances > MAX_INLINED_INSTANCES {
            return Err(LoadError::TooComplex(format!(
                "flattened, its instantiations of nested components amount to {} or more component instances; the limit is {MAX_INLINED_INSTANCES}",
                self.instances
            )));
        }
        let definitions = self.instances.saturating_mul(self.definitions_per_instance);
        if definitions > MAX_INLINED_DEFINITIONS {
            return Err(LoadError::TooComplex(format!(
                "flattened, it amounts to {definitions} or more definitions; the limit is {MAX_INLINED_DEFINITIONS}"
            )));
        }
        Ok(())
    }
}

/// Checks the nesting depth and what the component flattens to. Malformed
/// bytes pass: compiling refuses them with the parser's own message.
pub fn check_structure(bytes: &[u8]) -> Result<(), LoadError> {
    let mut open: Vec<Frame> = Vec::new();
    let mut bounds = Bounds::default();
    for payload in Parser::new(0).parse_all(bytes) {
        let Ok(payload) = payload else {
            return Ok(());
        };
        let definitions = match payload {
            Payload::Version { encoding, .. } => {
                open.push(Frame {
                    module: encoding == Encoding::Module,
                    instantiations: 0,
                    definitions: 0,
                });
                if open.len() > MAX_NESTING {
                    return Err(LoadError::TooComplex(format!(
                        "components and modules nest more than {MAX_NESTING} deep"
                    )));
                }
                continue;
            }
            Payload::End(_) => {
                match open.pop() {
                    Some(frame) if !frame.module => bounds.add(&frame)?,
                    _ => {}
                }
                continue;
            }
            Payload::ComponentInstanceSection(reader) => {
                let mut count = 0;
                for instance in reader {
                    let Ok(instance) = instance else {
                        return Ok(());
                    };
                    if matches!(instance, ComponentInstance::Instantiate { .. })
                        && let Some(frame) = open.last_mut()
                    {
                        frame.instantiations += 1;
                    }
                    count += 1;
                }
                count
            }
            Payload::InstanceSection(reader) => u64::from(reader.count()),
            Payload::ComponentAliasSection(reader) => u64::from(reader.count()),
            Payload::ComponentCanonicalSection(reader) => u64::from(reader.count()),
            Payload::ComponentExportSection(reader) => u64::from(reader.count()),
            _ => continue,
        };
        if let Some(frame) = open.last_mut() {
            frame.definitions = frame.definitions.saturating_add(definitions);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A component nesting `depth` levels, each instantiating the one inside
    /// `fan` times.
    fn fan_out(fan: usize, depth: usize) -> Vec<u8> {
        let mut text = String::from("(component)");
        for _ in 0..depth {
            text = format!(
                "(component {text} {})",
                "(instance (instantiate 0))".repeat(fan)
            );
        }
        wasm(&text)
    }

    fn wasm(text: &str) -> Vec<u8> {
        wat::parse_str(text).expect("a valid component text")
    }

    fn too_complex(bytes: &[u8]) -> String {
        match check_structure(bytes) {
            Err(LoadError::TooComplex(reason)) => reason,
            other => panic!("not refused as too complex: {other:?}"),
        }
    }

    #[test]
    fn what_toolchains_make_passes() {
        // wit-component's shape: core modules and a few type-ascribing
        // components, each instantiated once.
        assert!(check_structure(&fan_out(1, 1)).is_ok());
        assert!(check_structure(&fan_out(3, 1)).is_ok());
        assert!(check_structure(&wasm("(component (core module) (core module))")).is_ok());
    }

    #[test]
    fn instantiations_that_multiply_are_refused() {
        // 11 × 11 × 11 × 11 = 14,641 possible instances.
        assert!(too_complex(&fan_out(10, 4)).contains("14641 or more component instances"));
        assert!(check_structure(&fan_out(10, 3)).is_ok());
        // Siblings reaching each other through outer aliases multiply as
        // nesting does.
        let mut text = String::from("(component (component $c0)");
        for i in 1..=16 {
            text.push_str(&format!(
                " (component $c{i} (alias outer 1 $c{} (component $p)) (instance (instantiate $p)) (instance (instantiate $p)))",
                i - 1
            ));
        }
        assert!(too_complex(&wasm(&(text + ")"))).contains("component instances"));
    }

    #[test]
    fn many_definitions_in_many_instances_are_refused() {
        let core = "(core instance (instantiate $m))".repeat(1_000);
        let leaf = format!("(component (core module $m) {core})");
        let text = format!(
            "(component (component {leaf} {}) {})",
            "(instance (instantiate 0))".repeat(50),
            "(instance (instantiate 0))".repeat(50)
        );
        assert!(too_complex(&wasm(&text)).contains("definitions"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut text = String::from("(component)");
        for _ in 0..MAX_NESTING {
            text = format!("(component {text})");
        }
        assert!(too_complex(&wasm(&text)).contains("nest more than 16 deep"));
        let modules =
            "(component ".repeat(MAX_NESTING - 1) + "(core module)" + &")".repeat(MAX_NESTING - 1);
        assert!(check_structure(&wasm(&modules)).is_ok());
    }

    #[test]
    fn malformed_bytes_are_left_to_the_compiler() {
        assert!(check_structure(b"\0asm\x0d\0\x01\0\x7f\x01").is_ok());
        assert!(check_structure(b"").is_ok());
    }
}
