// Small-cell suppression with complementary suppression (CMS cell-size policy, ResDAC: no cell of
// 1–10, zero allowed, and no cell from which a value of 1–10 could be worked out).
//
// Every published count is a set of patients. Two counts are linked whenever their patient sets
// overlap, so one engine covers a one-way table, a two-way table, their margins and the panel
// totals together — the cross-table leaks (a withheld two-way cell recovered from the one-way
// table of the same data) are exactly the linear relations between those sets.
//
// Audits, run until neither finds a leak:
//  1. Linear: a withheld count is recoverable by adding and subtracting published counts exactly
//     when its indicator vector (over the "atoms" — groups of patients that belong to the same
//     published counts) lies in the span of the published counts' vectors.
//  2. Bounds: over each declared relation (total = sum of parts) the attacker reads the labels:
//     a withheld small cell is 1–10, a complementary cell is 0 or above 10. Interval propagation
//     (with the gap applied to complementary cells) must leave every withheld count with more
//     than one possible value. Propagation is per relation, so it is a sound check of the common
//     leaks (two withheld 1s in a line, a 1 next to an 11), not a full integer program.
// When a withheld count leaks, the engine withholds one more count (a complementary cell): the
// cheapest published count whose withholding alone stops the leak. Cheapest means, in order: the
// lowest level of the declared relations (stratum cells before the group and panel totals made of
// them, so a total people need stays published whenever a stratum can serve — issue 7 §4); counts
// ≥ 12 before an 11 (an 11 next to a lone small cell is pinned by the labels) before zeros; the
// smallest. Counts of the same patients (e.g. an initial population equal to its denominator) are
// withheld together, since showing one shows the other. When no single count stops the leak, the
// cheapest count that takes part in recovering it is withheld and the audit runs again.
//
// Tables too small to protect. In a tiny table nearly every count is 1–10 or sits next to one,
// and the labels alone give values away: a `small-cell` label says 1–10 and a `complementary`
// label says 0 or above 10, so in cells 1,0,3 / 1,1,8 (column totals 2,1,11) the complementary
// 0 under a withheld column total of 1 can only be 0, and the rest unravels from there. CMS
// forbids publishing any cell "from which a value of 1–10 can be worked out" (ResDAC cell-size
// policy, reference/equity.md §2.2/§2.4), and the labels are part of what is published. So we
// withhold the WHOLE publication — every cell, margin and total — with one label-free reason,
// `table-too-small`, when
//   - a group of counts tied together by the relations (one table with its margins and totals)
//     holds a withheld count and its largest count (its grand total) is under
//     `minimumTableTotal` (30, the HEDIS/NCHS minimum denominator: smaller tables are reported
//     as "NA" anyway); this covers a published total of 1–10 too, or
//   - after complementary suppression either audit still finds a leak.
// A `table-too-small` count carries no bound beyond 0 ≤ count ≤ its total, and every count in
// the publication carries the same label, so the labels say nothing about any single cell. The
// choice to withhold tells a reader only that some table is under 30 (or could not be
// protected) — never which cell was small. For the size rule any such table can be changed by
// moving one patient between cells while staying under 30, so no count is pinned by it; the
// audit fallback is a rarer, data-dependent trigger and carries a little more. Rates and
// intervals built from these counts are withheld with the same reason (see `combineReasons`).

/**
 * Why a count is withheld: `small-cell` (1–10), `complementary` (0 or above 10, withheld so a
 * small cell cannot be worked out) or `table-too-small` (any value: the whole publication is
 * withheld because it is too small to protect cell by cell).
 */
export type SuppressionReason = 'small-cell' | 'complementary' | 'table-too-small';

export type Published<T> =
  { kind: 'value'; value: T } | { kind: 'suppressed'; reason: SuppressionReason };

export interface CountToPublish {
  id: string;
  patientIds: readonly string[];
}

/** `total` is the sum of `parts` (ids of counts in the same publication). */
export interface CountRelation {
  total: string;
  parts: readonly string[];
}

export interface SuppressionPolicy {
  /** Smallest withheld count (CMS: 1; zero may be shown). */
  minimum: number;
  /** Largest withheld count (CMS: 10). */
  maximum: number;
  /**
   * A table (counts linked by relations) whose grand total is under this and that has any count
   * to withhold is withheld whole (`table-too-small`). Default {@link MINIMUM_PROTECTABLE_TOTAL}.
   */
  minimumTableTotal?: number;
}

/** Smallest grand total of a table protected cell by cell (HEDIS "NA" below 30, NCHS n ≥ 30). */
export const MINIMUM_PROTECTABLE_TOTAL = 30;

export const CMS_CELL_SIZE_POLICY: SuppressionPolicy = {
  minimum: 1,
  maximum: 10,
  minimumTableTotal: MINIMUM_PROTECTABLE_TOTAL,
};

/**
 * The reason to give for something computed from several counts (a rate, an interval): the most
 * restrictive of theirs — `table-too-small`, then `small-cell`, then `complementary` — or
 * undefined when every count is published.
 */
export function combineReasons(
  ...values: readonly Published<unknown>[]
): SuppressionReason | undefined {
  const rank = (reason: SuppressionReason): number => {
    switch (reason) {
      case 'table-too-small':
        return 3;
      case 'small-cell':
        return 2;
      case 'complementary':
        return 1;
    }
  };
  let worst: SuppressionReason | undefined;
  for (const v of values)
    if (v.kind === 'suppressed' && (worst === undefined || rank(v.reason) > rank(worst)))
      worst = v.reason;
  return worst;
}

export function isSmallCell(
  count: number,
  policy: SuppressionPolicy = CMS_CELL_SIZE_POLICY,
): boolean {
  return count >= policy.minimum && count <= policy.maximum;
}

type Vector = Float64Array;

/** Index of the entry largest in magnitude (partial pivoting keeps elimination stable), or −1. */
function largestEntry(v: Vector): number {
  let best = -1;
  let size = 1e-9;
  for (let i = 0; i < v.length; i += 1) {
    const a = Math.abs(v[i] ?? 0);
    if (a > size) {
      best = i;
      size = a;
    }
  }
  return best;
}

/** Row-reduced basis of a set of vectors, for span membership tests. */
class SpanBasis {
  private readonly rows: { pivot: number; row: Vector }[] = [];

  constructor(vectors: readonly Vector[] = []) {
    for (const v of vectors) this.add(v);
  }

  private reduce(v: Vector): Vector {
    const r = Float64Array.from(v);
    for (const { pivot, row } of this.rows) {
      const f = r[pivot] ?? 0;
      if (Math.abs(f) > 1e-9)
        for (let i = 0; i < r.length; i += 1) r[i] = (r[i] ?? 0) - f * (row[i] ?? 0);
    }
    return r;
  }

  add(v: Vector): void {
    const r = this.reduce(v);
    const pivot = largestEntry(r);
    if (pivot < 0) return;
    const scale = r[pivot] ?? 1;
    for (let i = 0; i < r.length; i += 1) r[i] = (r[i] ?? 0) / scale;
    for (const other of this.rows) {
      const f = other.row[pivot] ?? 0;
      if (Math.abs(f) > 1e-9)
        for (let i = 0; i < r.length; i += 1) other.row[i] = (other.row[i] ?? 0) - f * (r[i] ?? 0);
    }
    this.rows.push({ pivot, row: r });
  }

  contains(v: Vector): boolean {
    return this.reduce(v).every((x) => Math.abs(x) <= 1e-9);
  }
}

/**
 * Coordinates of vectors in a basis chosen greedily from a list (earlier entries first): which
 * list entries are basis members, the coordinates of the others, and of any vector in the span.
 */
class Coordinates {
  private readonly rows: { pivot: number; row: Vector; combo: number[] }[] = [];
  private readonly slots: (number | undefined)[] = [];
  private readonly dependent: number[][] = [];

  constructor(vectors: readonly Vector[]) {
    for (const v of vectors) {
      const { rest, combo } = this.reduce(v);
      const pivot = largestEntry(rest);
      if (pivot < 0) {
        this.slots.push(undefined);
        this.dependent.push(combo);
        continue;
      }
      const slot = this.rows.length;
      // New basis member b_k: its reduced row is b_k − Σ f_i R_i, i.e. e_k − Σ f_i T_i.
      const own = combo.map((c) => -c);
      own[slot] = 1;
      this.rows.push({ pivot, row: rest, combo: own });
      this.slots.push(slot);
    }
  }

  /** r = v − Σ f_i R_i, and Σ f_i T_i (v's coordinates when r = 0). */
  private reduce(v: Vector): { rest: Vector; combo: number[] } {
    const rest = Float64Array.from(v);
    const combo: number[] = [];
    for (const { pivot, row, combo: t } of this.rows) {
      const f = (rest[pivot] ?? 0) / (row[pivot] ?? 1);
      if (Math.abs(f) <= 1e-12) continue;
      for (let i = 0; i < rest.length; i += 1) rest[i] = (rest[i] ?? 0) - f * (row[i] ?? 0);
      t.forEach((x, j) => {
        combo[j] = (combo[j] ?? 0) + f * x;
      });
    }
    return { rest, combo };
  }

  /** Basis slot of list entry `index`, or undefined when it depends on earlier entries. */
  basisSlot(index: number): number | undefined {
    return this.slots[index];
  }

  /** Coordinates of v, or undefined when v is outside the span. */
  coordinatesOf(v: Vector): number[] | undefined {
    const { rest, combo } = this.reduce(v);
    return rest.every((x) => Math.abs(x) <= 1e-9) ? combo : undefined;
  }

  /** Basis member j cannot be rebuilt from the other published counts. */
  isEssential(j: number): boolean {
    return this.dependent.every((c) => Math.abs(c[j] ?? 0) <= 1e-7);
  }
}

interface Engine {
  ids: string[];
  values: Map<string, number>;
  vectors: Map<string, Vector>;
  /** Atom indices of each count, for overlap tests. */
  atoms: Map<string, Set<number>>;
}

function buildEngine(counts: readonly CountToPublish[]): Engine {
  const signature = new Map<string, string[]>();
  for (const c of counts)
    for (const p of new Set(c.patientIds)) {
      const list = signature.get(p);
      if (list) list.push(c.id);
      else signature.set(p, [c.id]);
    }
  const atomIndex = new Map<string, number>();
  const patientAtom = new Map<string, number>();
  for (const [patient, ids] of signature) {
    const key = ids.join('\u0000');
    let index = atomIndex.get(key);
    if (index === undefined) {
      index = atomIndex.size;
      atomIndex.set(key, index);
    }
    patientAtom.set(patient, index);
  }
  const width = atomIndex.size;
  const vectors = new Map<string, Vector>();
  const atoms = new Map<string, Set<number>>();
  const values = new Map<string, number>();
  for (const c of counts) {
    const unique = new Set(c.patientIds);
    const v = new Float64Array(width);
    const set = new Set<number>();
    for (const p of unique) {
      const a = patientAtom.get(p) ?? 0;
      v[a] = 1;
      set.add(a);
    }
    vectors.set(c.id, v);
    atoms.set(c.id, set);
    values.set(c.id, unique.size);
  }
  return { ids: counts.map((c) => c.id), values, vectors, atoms };
}

function linearLeaks(engine: Engine, withheld: ReadonlyMap<string, SuppressionReason>): string[] {
  const basis = new SpanBasis(
    engine.ids
      .filter((id) => !withheld.has(id))
      .map((id) => engine.vectors.get(id) ?? new Float64Array()),
  );
  return engine.ids.filter(
    (id) => withheld.has(id) && basis.contains(engine.vectors.get(id) ?? new Float64Array()),
  );
}

/**
 * Interval propagation over the declared relations: returns withheld counts whose feasible range
 * collapses to one value.
 */
function boundsLeaks(
  engine: Engine,
  relations: readonly CountRelation[],
  withheld: ReadonlyMap<string, SuppressionReason>,
  policy: SuppressionPolicy,
): string[] {
  const grand = Math.max(0, ...engine.values.values());
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const id of engine.ids) {
    const value = engine.values.get(id) ?? 0;
    const reason = withheld.get(id);
    if (reason === undefined) {
      lo.set(id, value);
      hi.set(id, value);
      continue;
    }
    switch (reason) {
      case 'small-cell':
        lo.set(id, policy.minimum);
        hi.set(id, policy.maximum);
        break;
      case 'complementary':
      case 'table-too-small':
        lo.set(id, 0);
        hi.set(id, grand);
        break;
    }
  }
  for (let pass = 0; pass < 50; pass += 1) {
    let changed = false;
    const tighten = (id: string, newLo: number, newHi: number) => {
      if (newLo > (lo.get(id) ?? 0)) {
        lo.set(id, newLo);
        changed = true;
      }
      if (newHi < (hi.get(id) ?? 0)) {
        hi.set(id, newHi);
        changed = true;
      }
    };
    for (const r of relations) {
      const partsLo = r.parts.reduce((s, p) => s + (lo.get(p) ?? 0), 0);
      const partsHi = r.parts.reduce((s, p) => s + (hi.get(p) ?? 0), 0);
      tighten(r.total, partsLo, partsHi);
      for (const p of r.parts) {
        const othersLo = partsLo - (lo.get(p) ?? 0);
        const othersHi = partsHi - (hi.get(p) ?? 0);
        tighten(p, (lo.get(r.total) ?? 0) - othersHi, (hi.get(r.total) ?? 0) - othersLo);
      }
    }
    for (const [id, reason] of withheld) {
      if (reason !== 'complementary') continue;
      // A complementary cell is never itself 1–10: snap its range out of the gap.
      const l = lo.get(id) ?? 0;
      const h = hi.get(id) ?? 0;
      if (l >= policy.minimum && l <= policy.maximum) tighten(id, policy.maximum + 1, h);
      if (h >= policy.minimum && h <= policy.maximum)
        tighten(id, lo.get(id) ?? 0, policy.minimum - 1);
    }
    if (!changed) break;
  }
  return engine.ids.filter((id) => withheld.has(id) && (lo.get(id) ?? 0) >= (hi.get(id) ?? 0));
}

/** Groups of counts tied together by the relations (union–find over totals and parts). */
function relationGroups(ids: readonly string[], relations: readonly CountRelation[]): string[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    parent.set(id, root);
    return root;
  };
  for (const r of relations)
    for (const part of r.parts) {
      const a = find(r.total);
      const b = find(part);
      if (a !== b && parent.has(a) && parent.has(b)) parent.set(a, b);
    }
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const root = find(id);
    const group = groups.get(root);
    if (group) group.push(id);
    else groups.set(root, [id]);
  }
  return [...groups.values()];
}

/**
 * The publication cannot be protected cell by cell (see the header): a linked table with a
 * withheld count has a grand total under the policy's minimum, or a leak survived.
 */
function tooSmallToProtect(
  engine: Engine,
  relations: readonly CountRelation[],
  withheld: ReadonlyMap<string, SuppressionReason>,
  policy: SuppressionPolicy,
): boolean {
  const minimumTotal = policy.minimumTableTotal ?? MINIMUM_PROTECTABLE_TOTAL;
  const small = relationGroups(engine.ids, relations).some(
    (group) =>
      group.length > 1 &&
      group.some((id) => withheld.has(id)) &&
      Math.max(...group.map((id) => engine.values.get(id) ?? 0)) < minimumTotal,
  );
  return (
    small ||
    linearLeaks(engine, withheld).length > 0 ||
    boundsLeaks(engine, relations, withheld, policy).length > 0
  );
}

function complementCost(value: number): [number, number] {
  if (value >= 12) return [0, value];
  if (value > 0) return [1, value];
  return [2, 0];
}

/**
 * How many levels of declared totals sit under each count: 0 for a count that is no relation's
 * total (a stratum cell), 1 for a total of such cells, and so on up to the panel total. Complements
 * are taken from the lowest level first, so a group or panel total is withheld only when no
 * stratum cell can protect the small one (issue 7 §4: stratifying by race alone masked the panel
 * totals of CMS130 and CMS2 because one race stratum was small).
 */
function totalLevels(
  ids: readonly string[],
  relations: readonly CountRelation[],
): Map<string, number> {
  const partsOf = new Map<string, string[]>();
  for (const r of relations) partsOf.set(r.total, [...(partsOf.get(r.total) ?? []), ...r.parts]);
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (id: string): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    const parts = partsOf.get(id);
    // A cycle in the relations (not expected) is cut by treating the repeated count as a cell.
    if (parts === undefined || visiting.has(id)) return 0;
    visiting.add(id);
    const value = 1 + Math.max(0, ...parts.map(levelOf));
    visiting.delete(id);
    level.set(id, value);
    return value;
  };
  for (const id of ids) level.set(id, levelOf(id));
  return level;
}

/**
 * Counts of the same patients ("twins": e.g. a measure's initial population and denominator, or
 * a stratum's patients and eligible patients, when they coincide). Publishing one publishes the
 * other, so they are withheld together and the engine reasons about one of each.
 */
function twinsOf(engine: Engine): Map<string, string[]> {
  const byAtoms = new Map<string, string[]>();
  for (const id of engine.ids) {
    const key = [...(engine.atoms.get(id) ?? [])].sort((a, b) => a - b).join(',');
    byAtoms.set(key, [...(byAtoms.get(key) ?? []), id]);
  }
  const twins = new Map<string, string[]>();
  for (const group of byAtoms.values()) for (const id of group) twins.set(id, group);
  return twins;
}

/**
 * Decides which counts to withhold. Returns each count as a published value or a withheld one
 * with its reason. `relations` feed the bounds audit and rank the complements (stratum cells
 * before the totals made of them; see the header); the linear audit needs none.
 */
export function suppressCounts(
  counts: readonly CountToPublish[],
  relations: readonly CountRelation[] = [],
  policy: SuppressionPolicy = CMS_CELL_SIZE_POLICY,
): Record<string, Published<number>> {
  const engine = buildEngine(counts);
  const withheld = new Map<string, SuppressionReason>();
  for (const id of engine.ids)
    if (isSmallCell(engine.values.get(id) ?? 0, policy)) withheld.set(id, 'small-cell');

  const twins = twinsOf(engine);
  const levels = totalLevels(engine.ids, relations);
  const withTwins = (target: Map<string, SuppressionReason>, id: string) => {
    for (const twin of twins.get(id) ?? [id])
      if (!target.has(twin)) target.set(twin, 'complementary');
  };
  const vectorOf = (id: string) => engine.vectors.get(id) ?? new Float64Array();
  const byCost = (a: string, b: string) => {
    const ca = complementCost(engine.values.get(a) ?? 0);
    const cb = complementCost(engine.values.get(b) ?? 0);
    return (
      (levels.get(a) ?? 0) - (levels.get(b) ?? 0) ||
      ca[0] - cb[0] ||
      ca[1] - cb[1] ||
      a.localeCompare(b)
    );
  };
  for (let guard = 0; guard < engine.ids.length; guard += 1) {
    const leak =
      linearLeaks(engine, withheld)[0] ?? boundsLeaks(engine, relations, withheld, policy)[0];
    if (leak === undefined) break;
    // One published count per twin group, cheapest first (twins share one vector).
    const seen = new Set<string[]>();
    const order = engine.ids
      .filter((id) => !withheld.has(id))
      .sort(byCost)
      .filter((id) => {
        const group = twins.get(id) ?? [id];
        if (seen.has(group)) return false;
        seen.add(group);
        return true;
      });
    const boundsStop = (id: string) => {
      const trial = new Map(withheld);
      withTwins(trial, id);
      return !boundsLeaks(engine, relations, trial, policy).includes(leak);
    };
    const coords = new Coordinates(order.map(vectorOf));
    const sigma = coords.coordinatesOf(vectorOf(leak));
    let next: string | undefined;
    if (sigma === undefined) {
      next = order.find(boundsStop);
    } else {
      // Withholding basis member j stops the linear leak exactly when the leak uses it
      // (σ_j ≠ 0) and no other published count can stand in for it.
      const uses = (index: number) => {
        const j = coords.basisSlot(index);
        return j !== undefined && Math.abs(sigma[j] ?? 0) > 1e-7 ? j : undefined;
      };
      next =
        order.find((id, index) => {
          const j = uses(index);
          return j !== undefined && coords.isEssential(j) && boundsStop(id);
        }) ?? order.find((_, index) => uses(index) !== undefined);
    }
    // Nothing found by either audit's rule: withhold the cheapest count sharing patients with it.
    if (next === undefined) {
      const leakAtoms = engine.atoms.get(leak) ?? new Set<number>();
      next = order.find((id) => [...(engine.atoms.get(id) ?? [])].some((a) => leakAtoms.has(a)));
    }
    next ??= order[0];
    if (next === undefined) break;
    withTwins(withheld, next);
  }

  if (withheld.size > 0 && tooSmallToProtect(engine, relations, withheld, policy))
    for (const id of engine.ids) withheld.set(id, 'table-too-small');

  const out: Record<string, Published<number>> = {};
  for (const id of engine.ids) {
    const reason = withheld.get(id);
    out[id] =
      reason === undefined
        ? { kind: 'value', value: engine.values.get(id) ?? 0 }
        : { kind: 'suppressed', reason };
  }
  return out;
}
