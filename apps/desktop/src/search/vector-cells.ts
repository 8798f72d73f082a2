// Training the index's cells: spherical k-means in two levels over a sample of the embeddings
// (a few coarse clusters, each split into cells in proportion to its share of the sample). A flat
// k-means over 1,024 cells costs 1,024 dots per vector and pass, the two levels about 64, which
// is what keeps a 1,000,000-row build to about a minute on two cores. The work is cut into steps
// that stop at a deadline, so the caller can spread a build over short slices of the main thread.
import { dotAt, nearestInRange, scoreRange, seededRandom } from './vector-math.ts';

/** The trained cells: unit centroids, with each coarse cluster's cells stored next to each other. */
export interface CellModel {
  dims: number;
  /** `cells × dims` floats: the centroid of every cell. */
  centroids: Float32Array;
  cells: number;
  /** `coarse × dims` floats: the first level, used to assign many vectors quickly. */
  coarse: Float32Array;
  /** The cells of coarse cluster `i` are [childStart[i], childStart[i + 1]). */
  childStart: Int32Array;
}

const COARSE_ITERATIONS = 10;
const FINE_ITERATIONS = 8;
/** Stop iterating once fewer than this share of the points change cluster in a pass. */
const CONVERGED = 0.005;
/** Points assigned between deadline checks (about 1 ms at 32 clusters of 512 floats). */
const BLOCK = 64;

/** Spherical k-means (cosine: centroids are renormalised means) over some rows of a packed array. */
class SphericalKMeans {
  readonly centroids: Float32Array;
  readonly assignment: Int32Array;
  private readonly sums: Float64Array;
  private readonly counts: Int32Array;
  private readonly scratch: Float64Array;
  private readonly data: Float32Array;
  private readonly members: Int32Array;
  readonly k: number;
  private readonly dims: number;
  private readonly iterations: number;
  private readonly random: () => number;
  private iteration = 0;
  private pos = 0;
  private changed = 0;
  done = false;

  constructor(data: Float32Array, members: Int32Array, k: number, dims: number, iterations: number, random: () => number) {
    this.data = data;
    this.members = members;
    this.k = k;
    this.dims = dims;
    this.iterations = iterations;
    this.random = random;
    this.centroids = new Float32Array(k * dims);
    this.assignment = new Int32Array(members.length).fill(-1);
    this.sums = new Float64Array(k * dims);
    this.counts = new Int32Array(k);
    this.scratch = new Float64Array(k);
    // Distinct members, picked at random, are the first centroids.
    const picked = new Set<number>();
    for (let c = 0; c < k; c++) {
      let m = Math.floor(random() * members.length);
      while (picked.has(m)) m = (m + 1) % members.length;
      picked.add(m);
      this.centroids.set(data.subarray(members[m]! * dims, (members[m]! + 1) * dims), c * dims);
    }
    if (members.length === k) {
      // Every member is a centroid already.
      this.assignment.forEach((_, i, a) => (a[i] = i));
      this.done = true;
    }
  }

  /** Runs assignment blocks until the deadline or the end; true once converged. */
  step(deadline: number): boolean {
    const { dims, k } = this;
    while (!this.done) {
      const end = Math.min(this.members.length, this.pos + BLOCK);
      for (let i = this.pos; i < end; i++) {
        const row = this.members[i]!;
        const c = nearestInRange(this.data, row * dims, this.centroids, 0, k, dims, this.scratch);
        if (c !== this.assignment[i]) this.changed++;
        this.assignment[i] = c;
        this.counts[c]!++;
        const o = c * dims;
        for (let d = 0; d < dims; d++) this.sums[o + d]! += this.data[row * dims + d]!;
      }
      this.pos = end;
      if (this.pos === this.members.length) this.finishPass();
      if (performance.now() >= deadline) break;
    }
    return this.done;
  }

  private finishPass(): void {
    const { dims, k } = this;
    for (let c = 0; c < k; c++) {
      const o = c * dims;
      if (this.counts[c] === 0) {
        // An empty cluster restarts at a random member.
        const row = this.members[Math.floor(this.random() * this.members.length)]!;
        this.centroids.set(this.data.subarray(row * dims, (row + 1) * dims), o);
        continue;
      }
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += this.sums[o + d]! * this.sums[o + d]!;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let d = 0; d < dims; d++) this.centroids[o + d] = this.sums[o + d]! * scale;
    }
    this.iteration++;
    const converged = this.iteration > 1 && this.changed < CONVERGED * this.members.length;
    this.done = converged || this.iteration >= this.iterations;
    this.sums.fill(0);
    this.counts.fill(0);
    this.pos = 0;
    this.changed = 0;
  }
}

/** How many coarse clusters a model of `cells` cells is split under. */
function coarseCount(cells: number): number {
  return Math.max(1, Math.round(Math.sqrt(cells)));
}

/**
 * Trains a CellModel from `rows` sample vectors (packed, unit length), a deadline at a time:
 * the coarse clusters first, then each coarse cluster's cells.
 */
export class CellTrainer {
  private readonly random: () => number;
  private readonly coarse: SphericalKMeans;
  private readonly fine: SphericalKMeans[] = [];
  /** The coarse cluster each entry of `fine` splits (empty coarse clusters have none). */
  private readonly fineParent: number[] = [];
  private fineIndex = 0;
  private readonly sample: Float32Array;
  private readonly rows: number;
  private readonly dims: number;
  private readonly cells: number;

  constructor(sample: Float32Array, rows: number, dims: number, cells: number, seed: number) {
    this.sample = sample;
    this.rows = rows;
    this.dims = dims;
    this.cells = cells;
    if (rows < cells) throw new Error(`a sample of ${rows} vectors cannot train ${cells} cells`);
    this.random = seededRandom(seed);
    const all = Int32Array.from({ length: rows }, (_, i) => i);
    this.coarse = new SphericalKMeans(sample, all, Math.min(coarseCount(cells), rows), dims, COARSE_ITERATIONS, this.random);
  }

  /** Works until the deadline (performance.now() milliseconds); true once the model is ready. */
  step(deadline: number): boolean {
    if (!this.coarse.done) {
      this.coarse.step(deadline);
      if (!this.coarse.done) return false;
      this.planFine();
    }
    while (this.fineIndex < this.fine.length) {
      if (!this.fine[this.fineIndex]!.step(deadline)) return false;
      this.fineIndex++;
      if (performance.now() >= deadline) return this.fineIndex === this.fine.length;
    }
    return true;
  }

  /** Splits each coarse cluster into cells in proportion to its share of the sample. */
  private planFine(): void {
    const k = this.coarse.k;
    const members: number[][] = Array.from({ length: k }, () => []);
    // A coarse k-means that converged before any pass (one cluster) has assigned nothing yet.
    for (let i = 0; i < this.rows; i++) members[Math.max(0, this.coarse.assignment[i]!)]!.push(i);
    for (let c = 0; c < k; c++) {
      const m = members[c]!;
      if (m.length === 0) continue;
      const want = Math.max(1, Math.min(m.length, Math.round((this.cells * m.length) / this.rows)));
      this.fine.push(new SphericalKMeans(this.sample, Int32Array.from(m), want, this.dims, FINE_ITERATIONS, this.random));
      this.fineParent.push(c);
    }
  }

  /** The trained model; call once step() has returned true. */
  model(): CellModel {
    const { dims } = this;
    const cells = this.fine.reduce((n, f) => n + f.k, 0);
    const centroids = new Float32Array(cells * dims);
    const coarse = new Float32Array(this.fine.length * dims);
    const childStart = new Int32Array(this.fine.length + 1);
    let at = 0;
    this.fine.forEach((f, i) => {
      const parent = this.fineParent[i]!;
      coarse.set(this.coarse.centroids.subarray(parent * dims, (parent + 1) * dims), i * dims);
      childStart[i] = at;
      centroids.set(f.centroids, at * dims);
      at += f.k;
    });
    childStart[this.fine.length] = at;
    return { dims, centroids, cells, coarse, childStart };
  }
}

/**
 * The cell of a vector by the two levels: the cells of its two nearest coarse clusters. With one
 * coarse cluster only, 2.5% of vectors missed their nearest centroid near coarse borders (and
 * recall at 16 probes fell from 0.993 to 0.987); two cost 96 dots instead of 64 at 1,024 cells.
 */
export function assignCell(model: CellModel, v: Float32Array, vo: number, scratch: Float64Array): number {
  const parents = model.childStart.length - 1;
  const { dims } = model;
  scoreRange(v, vo, model.coarse, 0, parents, dims, scratch);
  let first = 0;
  let second = -1;
  for (let c = 1; c < parents; c++) {
    if (scratch[c]! > scratch[first]!) {
      second = first;
      first = c;
    } else if (second < 0 || scratch[c]! > scratch[second]!) {
      second = c;
    }
  }
  let best = nearestInRange(v, vo, model.centroids, model.childStart[first]!, model.childStart[first + 1]!, dims, scratch);
  if (second < 0) return best;
  const bestScore = dotAt(v, vo, model.centroids, best * dims, dims);
  const other = nearestInRange(v, vo, model.centroids, model.childStart[second]!, model.childStart[second + 1]!, dims, scratch);
  if (dotAt(v, vo, model.centroids, other * dims, dims) > bestScore) best = other;
  return best;
}

/** A scratch buffer large enough for assignCell on this model. */
export function assignScratch(model: CellModel): Float64Array {
  let widest = model.childStart.length - 1;
  for (let i = 0; i + 1 < model.childStart.length; i++) widest = Math.max(widest, model.childStart[i + 1]! - model.childStart[i]!);
  return new Float64Array(widest);
}
