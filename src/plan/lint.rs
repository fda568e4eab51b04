//! Warnings about what the 责任书 will say, located where the data can be mended: a unit's letter
//! with no duty of its own, two letters that differ only in names (考核细则 commonly deduct for
//! 责任书内容照搬照抄), a 分管领导 outside the committee zeren.yaml lists, an `exclude` tag no
//! unit carries where units are tagged (a misspelt tag would silently exclude nothing).

use crate::diag::{Problem, Problems};
use crate::model::{Audience, Tier, Unit, UnitType, Workspace};

pub fn letter_warnings(ws: &Workspace) -> Problems {
    let mut out = Problems::new();
    // Without the catalogue no letter is made (another kind's build, or no duties file).
    if ws.duty_groups.is_empty() || ws.units.is_empty() {
        return out;
    }
    let tiers = &ws.settings.letter.tiers;
    if tiers.contains(&Tier::Units) {
        same_letters(ws, &mut out);
    }
    if tiers.contains(&Tier::Members) && !ws.settings.members.is_empty() {
        let s = &ws.settings;
        for unit in &ws.units {
            let Some(sup) = &unit.supervisor else { continue };
            if sup.name != s.signatory.name && !s.members.iter().any(|m| m.name == sup.name) {
                out.push(Problem::warning(
                    unit.place.clone(),
                    "letter.supervisor-not-member",
                    format!(
                        "单位“{}”的分管领导“{}”不在 zeren.yaml 的党委班子成员(members)中，这个单位不会列入任何班子成员的“一岗双责”责任书；请在 members 中补上他（她），或改正姓名",
                        unit.name, sup.name
                    ),
                ));
            }
        }
    }
    // Only where the units carry tags at all: an Excel roster has none to give.
    let tagged = ws.units.iter().any(|u| !u.tags.is_empty());
    for g in ws.duty_groups.iter().filter(|_| tagged) {
        for tag in g.exclude.iter().filter(|t| !ws.units.iter().any(|u| u.tags.contains(t))) {
            out.push(Problem::warning(
                g.place.clone(),
                "group.exclude-unused",
                format!("责任组“{}”排除的标签(exclude)“{tag}”没有任何单位使用（单位的 tags）；是否写错了？", g.subject),
            ));
        }
    }
    out
}

/// A unit letter's content apart from names: its type (which decides the wording), the groups it
/// holds and its own duties.
type Content<'a> = (UnitType, Vec<usize>, &'a [String]);

fn same_letters(ws: &Workspace, out: &mut Problems) {
    let mut seen: Vec<(Content, &Unit)> = Vec::new();
    for unit in &ws.units {
        let groups: Vec<usize> = ws
            .duty_groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.applies(Audience::Unit(unit.unit_type), Some(unit)))
            .map(|(i, _)| i)
            .collect();
        let content: Content = (unit.unit_type, groups, &unit.duties);
        let twin = seen.iter().find(|(c, _)| *c == content).map(|(_, u)| *u);
        if twin.is_none() {
            seen.push((content, unit));
        }
        // One warning a unit: a letter with nothing of its own is the same as its kind's.
        if unit.duties.is_empty() {
            let same = twin.map(|t| format!("，与“{}”的责任书只有名称不同", t.name)).unwrap_or_default();
            out.push(Problem::warning(
                unit.place.clone(),
                "letter.no-own-duty",
                format!(
                    "单位“{}”的责任书没有本单位自己的责任，内容全部来自责任清单{same}；请为它写上结合本单位职责和廉政风险的重点责任（units.yaml 的 duties，或名单的“本单位责任”列）",
                    unit.name
                ),
            ));
        } else if let Some(first) = twin {
            out.push(Problem::warning(
                unit.place.clone(),
                "letter.same-content",
                format!(
                    "单位“{}”的责任书与“{}”的只有名称不同，本单位责任也一样（考核时常按“责任书内容照搬照抄”扣分）；请为两者写上各自的重点责任",
                    unit.name, first.name
                ),
            ));
        }
    }
}
