//! FMEA templates: a structure with functions and common failure chains that a team starts from
//! instead of a blank sheet. A template is JSON in `assets/fmea/templates/`, shaped the way people
//! talk about a service (steps, their work elements, their failure modes and chains) rather than
//! as the flat lists of [`Fmea`]; [`Template::instantiate`] turns it into an FMEA with fresh ids.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::failure::{FailureChain, FailureMode};
use super::header::{FmeaHeader, FmeaKind};
use super::ids::{ChainId, ElementId, FailureModeId, FmeaId, FunctionId};
use super::structure::{Function, StructureElement, StructureLevel, WorkElementType};
use super::worksheet::Fmea;

/// A template as its file holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Its name in the "new FMEA" menu.
    pub name: String,
    /// The kind of FMEA it makes.
    pub kind: FmeaKind,
    /// What it is for and what the team still has to do.
    pub description: String,
    /// Header fields filled in advance (planning texts); name and kind come from elsewhere.
    #[serde(default)]
    pub header: FmeaHeader,
    /// The next higher level element.
    pub system: TemplateElement,
    /// The focus elements (process steps or components).
    pub steps: Vec<TemplateStep>,
}

/// An element with one function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateElement {
    /// Its name.
    pub name: String,
    /// Its function.
    pub function: String,
    /// The function's requirement.
    #[serde(default)]
    pub requirement: String,
}

/// A focus element with its work elements and failure modes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateStep {
    /// Its name.
    pub name: String,
    /// Its function.
    pub function: String,
    /// The function's requirement.
    #[serde(default)]
    pub requirement: String,
    /// Its next lower level elements.
    #[serde(default)]
    pub work_elements: Vec<TemplateWorkElement>,
    /// Its failure modes.
    #[serde(default)]
    pub failure_modes: Vec<TemplateMode>,
}

/// A next lower level element.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateWorkElement {
    /// Its name; chains name their cause's element by it.
    pub name: String,
    /// Its 4M type (process templates).
    #[serde(rename = "type", default)]
    pub work_element_type: Option<WorkElementType>,
    /// Its function.
    #[serde(default)]
    pub function: String,
}

/// A failure mode with its chains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateMode {
    /// The failure mode.
    pub mode: String,
    /// Its chains.
    pub chains: Vec<TemplateChain>,
}

/// A chain, with its controls and without ratings (the team rates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChain {
    /// The failure effect.
    pub effect: String,
    /// The failure cause.
    pub cause: String,
    /// The name of the step's work element where the cause sits.
    #[serde(default)]
    pub work_element: Option<String>,
    /// Typical prevention controls.
    #[serde(default)]
    pub prevention: String,
    /// Typical detection controls.
    #[serde(default)]
    pub detection: String,
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Not JSON of the template shape.
    #[error("the template is not valid: {0}. Compare it with assets/fmea/templates/software-service.json")]
    Unreadable(String),
    /// A chain names a work element its step does not have.
    #[error("step `{step}` has no work element `{name}`; add it to the step's work_elements")]
    UnknownWorkElement {
        /// The step.
        step: String,
        /// The name the chain gave.
        name: String,
    },
}

impl Template {
    /// The templates Vigil ships, by the name the CLI takes (`software-service`).
    pub fn builtin(key: &str) -> Option<Result<Template, TemplateError>> {
        let text = match key {
            "software-service" => {
                include_str!("../../../../assets/fmea/templates/software-service.json")
            }
            _ => return None,
        };
        Some(Template::from_json(text))
    }

    /// The names [`Template::builtin`] knows.
    pub const BUILTIN: [&'static str; 1] = ["software-service"];

    /// Reads a template and checks that every chain's work element exists.
    pub fn from_json(text: &str) -> Result<Self, TemplateError> {
        let template: Template =
            serde_json::from_str(text).map_err(|e| TemplateError::Unreadable(e.to_string()))?;
        for step in &template.steps {
            for chain in step.failure_modes.iter().flat_map(|m| &m.chains) {
                if let Some(name) = &chain.work_element {
                    if !step.work_elements.iter().any(|w| &w.name == name) {
                        return Err(TemplateError::UnknownWorkElement {
                            step: step.name.clone(),
                            name: name.clone(),
                        });
                    }
                }
            }
        }
        Ok(template)
    }

    /// A new FMEA called `name` from this template. `new_id` makes the ids (the engine passes
    /// `Uuid::now_v7`), in the order the parts are created.
    pub fn instantiate(&self, name: &str, mut new_id: impl FnMut() -> Uuid) -> Fmea {
        let mut fmea = Fmea::new(FmeaId(new_id()), self.kind, name);
        fmea.header = FmeaHeader {
            name: name.to_owned(),
            kind: self.kind,
            ..self.header.clone()
        };
        let process = self.kind == FmeaKind::Process;
        let system = add_element(
            &mut fmea,
            &mut new_id,
            StructureLevel::NextHigherLevel,
            None,
            &self.system.name,
            None,
        );
        let system_fn = add_function(
            &mut fmea,
            &mut new_id,
            system,
            &self.system.function,
            &self.system.requirement,
        );
        for step in &self.steps {
            let focus = add_element(
                &mut fmea,
                &mut new_id,
                StructureLevel::FocusElement,
                Some(system),
                &step.name,
                None,
            );
            let focus_fn = add_function(
                &mut fmea,
                &mut new_id,
                focus,
                &step.function,
                &step.requirement,
            );
            let mut lower = Vec::new();
            for w in &step.work_elements {
                let kind = w.work_element_type.filter(|_| process);
                let id = add_element(
                    &mut fmea,
                    &mut new_id,
                    StructureLevel::NextLowerLevel,
                    Some(focus),
                    &w.name,
                    kind,
                );
                let function = (!w.function.is_empty())
                    .then(|| add_function(&mut fmea, &mut new_id, id, &w.function, ""));
                lower.push((w.name.as_str(), id, function));
            }
            for m in &step.failure_modes {
                let mode = FailureModeId(new_id());
                fmea.failure_modes.push(FailureMode {
                    id: mode,
                    function: focus_fn,
                    description: m.mode.clone(),
                });
                for c in &m.chains {
                    let cause_at = lower
                        .iter()
                        .find(|(n, ..)| Some(*n) == c.work_element.as_deref());
                    let mut chain = FailureChain::new(ChainId(new_id()), mode);
                    chain.effect = c.effect.clone();
                    chain.effect_function = Some(system_fn);
                    chain.cause = c.cause.clone();
                    chain.cause_element = cause_at.map(|(_, id, _)| *id);
                    chain.cause_function = cause_at.and_then(|(_, _, f)| *f);
                    chain.prevention_controls = c.prevention.clone();
                    chain.detection_controls = c.detection.clone();
                    fmea.chains.push(chain);
                }
            }
        }
        fmea
    }
}

fn add_element(
    fmea: &mut Fmea,
    new_id: &mut impl FnMut() -> Uuid,
    level: StructureLevel,
    parent: Option<ElementId>,
    name: &str,
    work_element_type: Option<WorkElementType>,
) -> ElementId {
    let id = ElementId(new_id());
    fmea.elements.push(StructureElement {
        id,
        level,
        parent,
        name: name.to_owned(),
        work_element_type,
    });
    id
}

fn add_function(
    fmea: &mut Fmea,
    new_id: &mut impl FnMut() -> Uuid,
    element: ElementId,
    description: &str,
    requirement: &str,
) -> FunctionId {
    let id = FunctionId(new_id());
    fmea.functions.push(Function {
        id,
        element,
        description: description.to_owned(),
        requirement: requirement.to_owned(),
    });
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter() -> impl FnMut() -> Uuid {
        let mut n = 0u128;
        move || {
            n += 1;
            Uuid::from_u128(n)
        }
    }

    #[test]
    fn the_software_service_template_makes_a_whole_process_fmea() {
        let template = Template::builtin("software-service").unwrap().unwrap();
        let fmea = template.instantiate("Checkout", counter());

        assert_eq!(fmea.kind(), FmeaKind::Process);
        assert_eq!(fmea.header.name, "Checkout");
        assert!(fmea.problems().is_empty(), "{:#?}", fmea.problems());
        assert!(fmea.chains.len() >= 15, "{}", fmea.chains.len());
        assert!(fmea
            .chains
            .iter()
            .all(|c| c.cause_element.is_some() && c.action_priority().is_none()));
    }

    #[test]
    fn the_software_service_template_covers_the_common_outages() {
        let template = Template::builtin("software-service").unwrap().unwrap();
        let modes: Vec<String> = template
            .steps
            .iter()
            .flat_map(|s| &s.failure_modes)
            .map(|m| m.mode.to_lowercase())
            .collect();
        for outage in [
            "dependency",
            "bad config push",
            "capacity",
            "data corruption",
            "certificate expiry",
            "deploy regression",
            "dns",
            "expired credentials",
            "queue backlog",
        ] {
            assert!(
                modes.iter().any(|m| m.contains(outage)),
                "no mode about {outage}"
            );
        }
    }

    #[test]
    fn a_chain_naming_an_unknown_work_element_is_refused() {
        let text = include_str!("../../../../assets/fmea/templates/software-service.json")
            .replacen(
                "\"work_element\": \"Dependency clients\"",
                "\"work_element\": \"Nowhere\"",
                1,
            );
        let err = Template::from_json(&text).unwrap_err();
        assert!(
            matches!(err, TemplateError::UnknownWorkElement { .. }),
            "{err}"
        );
    }
}
