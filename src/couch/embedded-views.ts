import vm from 'node:vm';
import createAbstractMapReduce from 'pouchdb-abstract-mapreduce';
import { BuiltInError, NotFoundError } from 'pouchdb-mapreduce-utils';

/**
 * PouchDB's map/reduce views (pouchdb-abstract-mapreduce: indexing, storage, queries)
 * with design-document functions compiled once per view build. pouchdb-mapreduce
 * compiles the map function again for every document, in a new V8 context each time:
 * two thirds of the CPU an index build took (740 s for 5 views of 100 000 users).
 *
 * Functions run as CouchDB's JavaScript engine runs them (share/server/views.js):
 * apart from the server, in a context of their own; on a deep-frozen copy of each
 * document, parsed inside that context (a map function can neither change what the
 * next one sees nor reach the host's objects through it); not in strict mode; with
 * the helpers `log`, `isArray`, `toJSON` and `sum`. A document the function throws
 * on emits nothing.
 */
const SANDBOX_HELPERS = `
  var log = function () {};
  var isArray = Array.isArray;
  var toJSON = JSON.stringify;
  var sum = function (values) { var total = 0; for (var i = 0; i < values.length; i++) { total += values[i]; } return total; };
  var freeze = function (value) {
    if (value !== null && typeof value === 'object') { Object.keys(value).forEach(function (key) { freeze(value[key]); }); Object.freeze(value); }
    return value;
  };
`;

/** The function source as a design document holds it, without a trailing semicolon. */
function expression(source: string): string {
  return `(${String(source).trim().replace(/;\s*$/, '')})`;
}

/** Compiles a map function once; the result maps one document, passing what it emits to `emit`. */
function mapper(source: string, emit: (key: unknown, value: unknown) => void): (doc: unknown) => void {
  const mapInSandbox = vm.runInNewContext(`(function () {${SANDBOX_HELPERS}
    var emitted;
    var emit = function (key, value) { emitted.push([key, value]); };
    var map = ${expression(source)};
    return function (json) {
      emitted = [];
      try { map(freeze(JSON.parse(json))); } catch (error) { return []; }
      return emitted;
    };
  })()`) as (json: string) => [unknown, unknown][];
  return (doc) => {
    for (const [key, value] of mapInSandbox(JSON.stringify(doc))) emit(key, value);
  };
}

type Reduce = (keys: unknown[], values: unknown[], rereduce: boolean) => unknown;

/** CouchDB's built-in reduce functions (PouchDB never asks for a rereduce). */
const builtInReduces: Record<string, Reduce> = {
  _count: (_keys, values) => values.length,
  _sum: (_keys, values) => sumOf(values, '_sum'),
  _stats: (_keys, values) => {
    const numbers = values.map((value) => numberOf(value, '_stats'));
    return {
      sum: sumOf(numbers, '_stats'),
      min: Math.min(...numbers),
      max: Math.max(...numbers),
      count: numbers.length,
      sumsqr: numbers.reduce((total, value) => total + value * value, 0),
    };
  },
};

function numberOf(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new BuiltInError(`builtin ${name} function requires map values to be numbers`);
  return value;
}

/** Numbers add up; arrays of numbers add up position by position (CouchDB's `_sum`). */
function sumOf(values: unknown[], name: string): number | number[] {
  let total: number | number[] = 0;
  for (const value of values) {
    if (Array.isArray(value)) {
      const sums: number[] = typeof total === 'number' ? [total] : total;
      value.forEach((item, index) => {
        sums[index] = (sums[index] ?? 0) + numberOf(item, name);
      });
      total = sums;
    } else if (typeof total === 'number') {
      total += numberOf(value, name);
    } else {
      total[0] = (total[0] ?? 0) + numberOf(value, name);
    }
  }
  return total;
}

function reducer(source: string): Reduce {
  const name = source.trim();
  if (name.startsWith('_')) {
    const builtIn = builtInReduces[name];
    if (!builtIn) throw new Error(`${name} is not a supported reduce function`);
    return builtIn;
  }
  const reduceInSandbox = vm.runInNewContext(`(function () {${SANDBOX_HELPERS}
    var reduce = ${expression(source)};
    return function (keys, values, rereduce) { return reduce(JSON.parse(keys), JSON.parse(values), rereduce); };
  })()`) as (keys: string, values: string, rereduce: boolean) => unknown;
  return (keys, values, rereduce) => reduceInSandbox(JSON.stringify(keys), JSON.stringify(values), rereduce);
}

function ddocValidator(ddoc: { _id: string; views?: Record<string, { map?: unknown }> }, viewName: string): void {
  const map = ddoc.views?.[viewName]?.map;
  if (typeof map !== 'string') throw new NotFoundError(`ddoc ${ddoc._id} has no string view named ${viewName}, instead found object of type: ${typeof map}`);
}

// 'mrviews' is pouchdb-mapreduce's name for its bookkeeping: indexes it built are reused.
const mapReduce = createAbstractMapReduce('mrviews', mapper, reducer, ddocValidator);

/** A PouchDB plugin in place of pouchdb-mapreduce: `query` and `viewCleanup`. */
export const embeddedViews = {
  query(this: unknown, ...args: unknown[]) {
    return mapReduce.query.apply(this, args);
  },
  viewCleanup(this: unknown, ...args: unknown[]) {
    return mapReduce.viewCleanup.apply(this, args);
  },
};
