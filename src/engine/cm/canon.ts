/**
 * `canon lift`, `canon lower` and the canonical built-ins (CanonicalABI.md: "canon lift",
 * "canon lower", "canon resource.*", "canon context.*", "canon backpressure.*", "canon task.*",
 * "canon waitable-set.*", "canon waitable.join", "canon subtask.*", "canon {stream,future}.*",
 * "canon error-context.*", "canon thread.*").
 *
 * Callback-lifted tasks need no stack switching: when the callback returns WAIT or YIELD the task
 * is parked as a waiter in the store, which calls the callback again once an event is ready.
 * Built-ins that would block the core stack (`waitable-set.wait`, sync calls to async functions
 * that do not finish at once) need JSPI and say so when it is not in use.
 */
import { assert } from "../../base/assert";
import { needsJspiMessage, promising } from "../../base/jspi";
import {
  CoreValueIter,
  flattenTypes,
  LiftLowerContext,
  liftFlatValues,
  loadStringFromRange,
  lowerFlatValues,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
  storeStringIntoRange,
  type CanonOptions,
  type CoreType,
  type CoreValue,
} from "./abi";
import { ErrorContext, EventCode, ResourceHandle, Waitable, WaitableSet, type EventTuple } from "./handles";
import type { ComponentInstance } from "./instance";
import { ReadableBufferGuestImpl, WritableBufferGuestImpl, type BufferGuestImpl } from "./buffers";
import { CopyResult, ReadableFutureEnd, ReadableStreamEnd, SharedFutureImpl, SharedStreamImpl, WritableFutureEnd, WritableStreamEnd, type CopyEnd } from "./streams";
import { Subtask, SubtaskState, Task, Thread, type CancellableWaiter, type FuncInst } from "./task";
import { CmTrap, coreTrapKind } from "./trap";
import { sameType, typeName, type FuncType, type ResourceType, type ValType } from "./types";

const BLOCKED = 0xffff_ffff | 0;

const enum CallbackCode {
  EXIT = 0,
  YIELD = 1,
  WAIT = 2,
}

function currentThread(inst: ComponentInstance): Thread {
  const t = inst.active;
  if (!(t instanceof Thread)) inst.trap("a canonical built-in or import was called while no task of this component is running");
  return t;
}

function currentTask(inst: ComponentInstance): Task {
  return currentThread(inst).task;
}

type CoreFn = (...a: CoreValue[]) => unknown;
const normalize = (r: unknown): CoreValue[] => (r === undefined ? [] : Array.isArray(r) ? (r as CoreValue[]) : [r as CoreValue]);

/** Calls core code of `task`'s instance synchronously on its implicit thread; traps name the component. */
function callIn(task: Task, f: CoreFn, args: CoreValue[], what: string): CoreValue[] {
  const inst = task.inst;
  const outer = inst.active;
  inst.active = task.thread;
  try {
    return normalize(f(...args));
  } catch (err) {
    throw asTrap(err, inst, `${task.name}${what}`);
  } finally {
    inst.active = outer;
  }
}

const promisingOf = new WeakMap<CoreFn, (...a: CoreValue[]) => Promise<unknown>>();

/**
 * Calls core code on `thread` through `WebAssembly.promising`, so built-ins under it may suspend
 * the stack; settles when the stack finishes (then see `leftAsync`). While the stack is suspended
 * the instance has no active thread (or the one switched to); it is active again once resumed.
 */
function startAsync(thread: Thread, f: CoreFn, args: CoreValue[]): Promise<unknown> {
  const inst = thread.task.inst;
  let p = promisingOf.get(f);
  if (!p) {
    // A lifted core function may be JS (a lowered import re-exported by a core module and lifted
    // again): `WebAssembly.promising` takes only wasm functions, and JS needs no stack of its own.
    p = isWasmFunction(f) ? promising(f) : (...a: CoreValue[]) => new Promise((resolve) => resolve(f(...a)));
    promisingOf.set(f, p);
  }
  inst.active = thread;
  thread.onStack = true;
  let pending: Promise<unknown>;
  try {
    pending = p(...args);
  } catch (err) {
    inst.active = null;
    thread.onStack = false;
    return Promise.reject(err);
  }
  if (!thread.suspended && inst.active === thread) inst.active = null;
  return pending;
}

/** Exported wasm functions print as native code named by their index (`function 3() { [native code] }`). */
function isWasmFunction(f: CoreFn): boolean {
  return /^function \d+\(\)/.test(Function.prototype.toString.call(f));
}

/** A `startAsync` stack finished: the instance has no active thread, and waiters may be ready. */
function leftAsync(thread: Thread): void {
  const inst = thread.task.inst;
  thread.onStack = false;
  if (inst.active === thread) inst.active = null;
  inst.store.schedule();
}

/** Runs core code and hands its results to `then`: synchronously, or through JSPI when the instance needs it. */
function enter(task: Task, f: CoreFn, args: CoreValue[], what: string, then: (results: CoreValue[]) => void): void {
  task.inst.store.trace?.entering();
  if (!task.inst.jspiEntries) return then(callIn(task, f, args, what));
  const store = task.inst.store;
  // One reaction per entry (a fan-out enters once per event): no intermediate promise.
  startAsync(task.thread, f, args).then(
    (r) => {
      leftAsync(task.thread);
      try {
        then(normalize(r));
      } catch (err) {
        store.fail(err);
      }
    },
    (err: unknown) => {
      leftAsync(task.thread);
      store.fail(asTrap(err, task.inst, `${task.name}${what}`));
    },
  );
}

/**
 * Suspends the running task's core stack until `ready()`, then returns `then(cancelled)` to it
 * (JSPI); `yielding` resumes it only after the host had a turn (`Waiter.yielding`); `cancellable`
 * lets a cancellation of the task wake it (`cancelled` is then true).
 * Without JSPI this is where a guest that blocks synchronously gets a clear trap.
 *
 * A callback-lifted task that has returned lets go of its instance (`inst.exclusive`) while it is
 * blocked here, so another task may enter meanwhile, and takes it back (waiting while another task
 * holds it) before it goes on. CanonicalABI.md keeps `exclusive` across such a wait; the Component
 * Model's newer scripts draw the line at returning: `async/sync-streams.wast` expects `$C.set` to
 * start while `$C.get`, returned, is blocked in a synchronous `stream.write` (as Wasmtime does),
 * and `async/async-calls-sync.wast` expects a second call into `$AsyncMiddle` to wait (STARTING)
 * while the first, not returned, is blocked in a synchronous call.
 */
export function block<T>(task: Task, ready: () => boolean, then: (cancelled: boolean) => T, what: string, yielding = false, cancellable = false): T | Promise<T> {
  const inst = task.inst;
  const thread = currentThread(inst);
  assert(thread.task === task, "blocking a task that is not running");
  mayStackSuspend(task, what);
  thread.suspended = true;
  thread.blocked = true;
  inst.active = null;
  const releases = task.opts.callback !== null && task.state === "resolved" && inst.exclusive === task;
  if (releases) inst.exclusive = null;
  const store = inst.store;
  store.trace?.waitBegin(inst.id, task.id, what);
  let cancelled = false;
  return new Promise<T>((resolve, reject) => {
    const waiter: CancellableWaiter = {
      yielding,
      describe: () => [inst.name, `'${task.name}' is blocked in ${what}${releases && inst.exclusive ? " (and then waits for the instance, which another task holds)" : ""}`],
      ready: () => inst.active === null && (!releases || inst.exclusive === null) && (cancelled || ready()),
      resume: () => {
        if (task.cancellableWait === waiter) task.cancellableWait = null;
        if (releases) inst.exclusive = task;
        thread.waiter = null;
        inst.active = thread;
        thread.suspended = false;
        thread.blocked = false;
        store.trace?.waitEnd(inst.id, task.id, what);
        store.trace?.entering();
        try {
          resolve(then(cancelled));
        } catch (err) {
          reject(err);
        }
      },
      cancel: () => {
        cancelled = true;
        // Woken: from now on the canceller waits for it to run (`Task.busy`).
        thread.blocked = false;
        store.schedule();
      },
    };
    if (cancellable) task.cancellableWait = waiter;
    thread.waiter = waiter;
    store.wait(waiter);
  });
}

/**
 * A synchronous built-in on waitable `i`: a waitable joined to a waitable set, whose event would go
 * to whoever waits on the set, may not be used synchronously. A copy is checked where its wait
 * would begin (one that completes at once is fine, as in Wasmtime); `subtask.cancel` of a subtask
 * that has not resolved, and a cancel of a copy always, even where it would end the copy at once:
 * the Component Model's `async/trap-if-sync-and-waitable-set.wast` expects that trap (so does
 * Wasmtime since its PR 13708). Guests built with wit-bindgen 0.58 (the component-model-async
 * fixtures) trap here: their runtime cancels its inter-task wakeup read synchronously before it
 * takes that stream out of the task's set, the order wit-bindgen PR 1638 reversed.
 */
function useSynchronously(inst: ComponentInstance, w: Waitable, i: number, builtin: string, also = ""): void {
  if (w.wset !== null) {
    inst.trap(`${builtin} on handle ${i >>> 0} is synchronous, but the handle is joined to a waitable set, which its event would go to (CanonicalABI.md: a waitable cannot be used synchronously while added to a waitable set): use the async form, or take it out of the set first with waitable.join(${i >>> 0}, 0)${also}`, "sync-op-on-joined-waitable", i >>> 0);
  }
}

/** `block` until `ready()`, with `w` marked as waited on synchronously meanwhile (`Waitable.syncWaiter`). */
function blockOn<T>(task: Task, w: Waitable, ready: () => boolean, then: () => T, what: string): T | Promise<T> {
  w.syncWaiter = true;
  return block(
    task,
    ready,
    () => {
      w.syncWaiter = false;
      return then();
    },
    what,
  );
}

/** Traps unless the running thread's core stack may suspend: not in a start function, and only with JSPI. */
function mayStackSuspend(task: Task, what: string): void {
  const inst = task.inst;
  if (task.startFunction) inst.trap(`${what} would block the start function '${task.name}'; a start function must not block (CanonicalABI.md: a synchronous task may not block before it returns): start the work from an export instead`, "sync-task-may-not-block");
  if (!inst.store.jspi || !inst.jspiEntries) {
    inst.trap(needsJspiMessage(`this component blocks synchronously (${what} would block '${task.name}', which suspends its core stack)`));
  }
}

/** A wasm trap inside a component becomes a `Trap` naming the component and function. */
export function asTrap(err: unknown, inst: ComponentInstance, func: string): unknown {
  // A built-in that blocks where nothing may leave (post-return, which runs outside
  // `WebAssembly.promising`): V8 refuses to suspend that stack (suspend.ts).
  if (isSuspendError(err) && !inst.mayLeave) return new CmTrap({ component: inst.name, func }, "a built-in or import was called while the component may not leave (post-return): call it before returning", "cannot-leave");
  if (err instanceof WebAssembly.RuntimeError) return new CmTrap({ component: inst.name, func }, err.message, coreTrapKind(err.message), undefined, err);
  if (err instanceof RangeError && /call stack/i.test(err.message)) return new CmTrap({ component: inst.name, func }, "call stack exhausted (infinite recursion?)", null);
  return err;
}


/** The options of a start function's or destructor's task: synchronous, no memory. */
const START_OPTIONS: CanonOptions = { memory: null, stringEncoding: "utf8", realloc: null, postReturn: null, async: false, callback: null };
const START_TYPE: FuncType = { params: [], result: null, async: false };

/**
 * Runs a core module's instantiation (and so its start function) as a synchronous task of `inst`
 * (CanonicalABI.md: instantiation runs start functions in a synchronous task), so the built-ins and
 * imports it calls know their task, and one that would block traps: a start function must not block.
 */
export function runStartFunction<T>(inst: ComponentInstance, what: string, f: () => T): T {
  return runSyncTask(inst, what, f, true);
}

/**
 * Runs a resource's destructor as a synchronous call into the instance that defined it: a
 * sync-typed call, so it enters even while a task of that instance is blocked (it barges in).
 */
export function runDestructor(inst: ComponentInstance, resource: string, f: () => unknown): void {
  runSyncTask(inst, `the destructor of ${resource}`, f, false);
}

function runSyncTask<T>(inst: ComponentInstance, what: string, f: () => T, startFunction: boolean): T {
  const task = new Task(START_OPTIONS, inst, START_TYPE, null, () => {}, what);
  task.startFunction = startFunction;
  const outer = inst.active;
  inst.active = task.thread;
  try {
    return f();
  } catch (err) {
    // A built-in that blocks suspends through a `WebAssembly.Suspending` import (suspend.ts),
    // which V8 refuses outside `WebAssembly.promising`, as a start function runs.
    if (startFunction && isSuspendError(err)) inst.trap(`'${what}' called a built-in or import that may block; a start function must not block (CanonicalABI.md: a synchronous task may not block before it returns): start the work from an export instead`, "sync-task-may-not-block");
    throw err;
  } finally {
    inst.active = outer;
  }
}

function isSuspendError(err: unknown): boolean {
  const SuspendError = (WebAssembly as { SuspendError?: new () => Error }).SuspendError;
  return SuspendError !== undefined && err instanceof SuspendError;
}

// ---------------------------------------------------------------- canon lift

export function canonLift(opts: CanonOptions, inst: ComponentInstance, ft: FuncType, callee: (...a: CoreValue[]) => unknown, name: string): FuncInst {
  const paramTypes = ft.params.map((p) => p.type);
  const resultTypes = ft.result ? [ft.result] : [];
  return (caller, onStart, onResolve, subtask) => {
    if (caller && (caller.inst.isReflexiveAncestorOf(inst) || inst.isReflexiveAncestorOf(caller.inst))) {
      inst.trap(`'${name}' was called re-entrantly from inside the same component`, "cannot-enter");
    }
    const task = new Task(opts, inst, ft, caller, onResolve, name);
    const store = inst.store;
    store.trace?.taskStart(inst.id, task.id, name, subtask);

    const start = (): void => {
      if (ft.async && task.needsExclusive()) {
        assert(inst.exclusive === null, "entering an instance that is exclusively held");
        inst.exclusive = task;
      }
      const cx = new LiftLowerContext(opts, inst, task);
      const flatArgs = lowerFlatValues(cx, MAX_FLAT_PARAMS, onStart(), paramTypes);
      if (!opts.async) {
        enter(task, callee, flatArgs, "", (flatResults) => {
          const result = liftFlatValues(cx, MAX_FLAT_RESULTS, new CoreValueIter(flatResults), resultTypes);
          task.return(result);
          if (opts.postReturn) {
            inst.mayLeave = false;
            try {
              callIn(task, opts.postReturn, flatResults, " (post-return)");
            } finally {
              inst.mayLeave = true;
            }
          }
          task.exit();
        });
        return;
      }
      if (!opts.callback) {
        // Stackful: the task runs on its own core stack, which blocking built-ins suspend (JSPI).
        if (!inst.store.jspi) inst.trap(needsJspiMessage(`this component blocks synchronously ('${name}' is lifted async without a callback: a stackful lift, which engine/cm runs on its own core stack)`));
        enter(task, callee, flatArgs, "", () => task.exit());
        return;
      }
      enter(task, callee, flatArgs, "", ([packed]) => continueCallback(task, packed as number));
    };

    if (ft.async) {
      // A stack of this instance being resumed (JSPI) also keeps new tasks out until it suspends or ends.
      const hasBackpressure = () => inst.backpressure > 0 || (task.needsExclusive() && inst.exclusive !== null) || inst.active !== null;
      if (hasBackpressure() || inst.numWaitingToEnter > 0) {
        inst.numWaitingToEnter++;
        const waiter: CancellableWaiter = {
          describe: () => [inst.name, `'${name}' waits to enter (backpressure ${inst.backpressure}, ${inst.exclusive ? "another task holds the instance" : "the instance is free"})`],
          ready: () => !hasBackpressure(),
          resume: () => {
            inst.numWaitingToEnter--;
            task.waitingToEnter = null;
            start();
          },
          cancel: () => {
            store.unwait(waiter);
            inst.numWaitingToEnter--;
            task.waitingToEnter = null;
            task.cancel();
          },
        };
        task.waitingToEnter = waiter;
        if (inst.backpressure > 0) store.trace?.backpressure(true, inst.id, task.id, undefined, name);
        store.wait(waiter);
        return task;
      }
    }
    start();
    return task;
  };
}

function unpackCallbackResult(inst: ComponentInstance, name: string, packed: number): [CallbackCode, number] {
  const code = packed & 0xf;
  if (code > CallbackCode.WAIT) inst.trap(`the callback of '${name}' returned an unknown code ${code}`, "bad-callback-code");
  return [code, packed >>> 4];
}

function continueCallback(task: Task, packed: number): void {
  const inst: ComponentInstance = task.inst;
  const store = inst.store;
  const opts = task.opts;
  const [code, si] = unpackCallbackResult(inst, task.name, packed);
  if (code === CallbackCode.EXIT) {
    task.exit();
    return;
  }
  assert(inst.exclusive === task, "callback task lost exclusivity");
  inst.exclusive = null;
  let wset: WaitableSet | null = null;
  if (code === CallbackCode.WAIT) {
    if (!task.mayBlock()) inst.trap(`'${task.name}' is not async and returned, so it may not wait`, "sync-task-may-not-block");
    const s = inst.handles.get(si);
    if (!(s instanceof WaitableSet)) inst.trap(`the callback of '${task.name}' asked to wait on handle ${si}, which is not a waitable set`);
    s.numWaiting++;
    wset = s;
  }
  let cancelled = task.deliverPendingCancel(true);
  const waiter: CancellableWaiter = {
    yielding: code === CallbackCode.YIELD,
    describe: () => [inst.name, wset ? `'${task.name}' waits (callback) on waitable set ${si}, which has ${wset.elems.size} waitable(s) joined and no event` : `'${task.name}' yielded`],
    ready: () => inst.exclusive === null && inst.active === null && (cancelled || wset === null || wset.hasPendingEvent()),
    resume: () => {
      task.cancellableWait = null;
      if (wset) {
        wset.numWaiting--;
        wset.onWake = null;
      }
      let event: EventTuple;
      if (cancelled) event = [EventCode.TASK_CANCELLED, 0, 0];
      else if (wset) event = wset.getPendingEvent();
      else event = [EventCode.NONE, 0, 0];
      inst.exclusive = task;
      store.trace?.waitEnd(inst.id, task.id, undefined, si, eventName(event));
      enter(task, opts.callback as CoreFn, event, " (callback)", ([next]) => continueCallback(task, next as number));
    },
    cancel: () => {
      cancelled = true;
      // CanonicalABI.md (Task.request_cancellation): a task waiting cancellably is resumed at once,
      // on the canceller's stack, so a callee that handles TASK_CANCELLED right away has resolved
      // when subtask.cancel returns.
      if (!waiter.ready()) return store.schedule();
      store.unwait(waiter);
      waiter.resume();
    },
  };
  task.cancellableWait = waiter;
  const trace = store.trace;
  if (trace && wset) {
    trace.waitBegin(inst.id, task.id, undefined, si, wset.elems.size);
    // Woken when an event reaches the set (at once if one is there): scheduled until resumed.
    const wake = () => trace.taskWake(inst.id, task.id, si);
    if (wset.hasPendingEvent()) wake();
    else wset.onWake = wake;
  } else trace?.yield(inst.id, task.id, si);
  store.wait(waiter);
}

function eventName([code, p1, p2]: EventTuple): string {
  const names = ["none", "subtask", "stream-read", "stream-write", "future-read", "future-write", "task-cancelled"];
  return `${names[code] ?? code} ${p1} ${p2 >>> 0}`;
}

// ---------------------------------------------------------------- canon lower

/** `flatten_functype(opts, ft, 'lower')` of a synchronous `canon lower`: the core type the guest imports. */
export function flatLowerType(ft: FuncType): { params: CoreType[]; results: CoreType[] } {
  let params = flattenTypes(ft.params.map((p) => p.type));
  let results = flattenTypes(ft.result ? [ft.result] : []);
  if (params.length > MAX_FLAT_PARAMS) params = ["i32"];
  if (results.length > MAX_FLAT_RESULTS) {
    params = [...params, "i32"];
    results = [];
  }
  return { params, results };
}

export function canonLower(opts: CanonOptions, inst: ComponentInstance, ft: FuncType, callee: FuncInst, name: string): (...flat: CoreValue[]) => CoreValue | undefined {
  const paramTypes = ft.params.map((p) => p.type);
  const resultTypes = ft.result ? [ft.result] : [];
  const maxParams = opts.async ? MAX_FLAT_ASYNC_PARAMS : MAX_FLAT_PARAMS;
  const maxResults = opts.async ? 0 : MAX_FLAT_RESULTS;
  const resultsViaPointer = flattenTypes(resultTypes).length > maxResults;
  const store = inst.store;
  return (...flat) => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap(`'${name}' was called while the component may not leave (during lifting or lowering)`, "cannot-leave");
    if (!task.mayBlock() && ft.async && !opts.async) inst.trap(`'${task.name}' is synchronous and may not call the async function '${name}' synchronously`, "sync-task-may-not-block");
    const subtask = new Subtask(inst);
    const cx = new LiftLowerContext(opts, inst, subtask);
    if (store.trace) cx.callee = name;
    const vi = new CoreValueIter(flat);
    let onProgress = (): void => {};
    let flatResults: CoreValue[] = [];
    store.trace?.subtaskStart(inst.id, task.id, subtask.id, name);

    const onStart = (): unknown[] => {
      onProgress();
      assert(subtask.state === SubtaskState.STARTING, "subtask started twice");
      subtask.state = SubtaskState.STARTED;
      return liftFlatValues(cx, maxParams, vi, paramTypes);
    };
    const onResolve = (result: unknown[] | null): void => {
      if (result === null) {
        assert(subtask.cancellationRequested, "a call resolved as cancelled without a request");
        subtask.state = subtask.state === SubtaskState.STARTING ? SubtaskState.CANCELLED_BEFORE_STARTED : SubtaskState.CANCELLED_BEFORE_RETURNED;
      } else {
        assert(subtask.state === SubtaskState.STARTED, "a call returned before it started");
        subtask.state = SubtaskState.RETURNED;
        const outPtr = resultsViaPointer ? (vi.next() as number) : undefined;
        flatResults = lowerFlatValues(cx, maxResults, result, resultTypes, outPtr);
      }
      store.trace?.subtaskResolve(inst.id, task.id, subtask.id, name, result === null ? "cancelled" : "returned");
      onProgress();
      // A caller blocked in a synchronous call (JSPI) waits for exactly this.
      store.schedule();
    };

    subtask.callee = callee(task, onStart, onResolve, subtask.id);

    if (!opts.async) {
      const finish = () => {
        subtask.deliverResolve();
        return flatResults[0];
      };
      if (!subtask.resolved()) return block(task, () => subtask.resolved(), finish, `calling '${name}' synchronously`) as CoreValue | undefined;
      return finish();
    }
    if (subtask.resolved()) {
      subtask.deliverResolve();
      return SubtaskState.RETURNED;
    }
    const subtaski = inst.handles.add(subtask);
    onProgress = () => subtask.setPendingEvent(() => subtask.subtaskEvent(subtaski));
    return subtask.state | (subtaski << 4);
  };
}

// ---------------------------------------------------------------- resources

export function canonResourceNew(inst: ComponentInstance, rt: ResourceType) {
  return (rep: number): number => {
    if (!inst.mayLeave) inst.trap("resource.new may not be called now", "cannot-leave");
    return inst.handles.add(new ResourceHandle(rt, rep >>> 0, true));
  };
}

export function canonResourceDrop(inst: ComponentInstance, rt: ResourceType) {
  return (i: number): void => {
    if (!inst.mayLeave) inst.trap("resource.drop may not be called now", "cannot-leave");
    const h = inst.handles.get(i >>> 0);
    if (!(h instanceof ResourceHandle) || h.rt !== rt) inst.trap(`resource.drop: handle ${i} is not a ${rt.name}`, "wrong-handle-type", i);
    if (h.numLends !== 0) inst.trap(`resource.drop: ${rt.name} handle ${i} is still lent out`, "owned-resource-lent", i);
    inst.handles.remove(i >>> 0);
    if (h.own) {
      if (rt.impl === null) {
        const dispose = (h.rep as { [Symbol.dispose]?: () => void })[Symbol.dispose];
        dispose?.call(h.rep);
      } else if (rt.dtor) {
        const dtorInst = rt.impl;
        if (dtorInst !== inst && !dtorInst.mayLeave) inst.trap(`resource.drop: the destructor of ${rt.name} cannot run now`);
        rt.dtor(h.rep as number);
      }
    } else {
      const scope = h.borrowScope;
      assert(scope, "borrow without a scope");
      scope.numBorrows--;
    }
  };
}

export function canonResourceRep(inst: ComponentInstance, rt: ResourceType) {
  return (i: number): number => {
    const h = inst.handles.get(i >>> 0);
    if (!(h instanceof ResourceHandle) || h.rt !== rt) inst.trap(`resource.rep: handle ${i} is not a ${rt.name}`, "wrong-handle-type", i);
    return h.rep as number;
  };
}

// ---------------------------------------------------------------- task built-ins

export function canonContextGet(inst: ComponentInstance, slot: number) {
  return (): number => currentThread(inst).storage[slot as 0 | 1];
}

export function canonContextSet(inst: ComponentInstance, slot: number) {
  return (v: number): void => {
    currentThread(inst).storage[slot as 0 | 1] = v;
  };
}

export function canonBackpressureSet(inst: ComponentInstance) {
  return (v: number): void => {
    const was = inst.backpressure > 0;
    inst.backpressure = v ? 1 : 0;
    traceBackpressure(inst, was);
  };
}

export function canonBackpressureInc(inst: ComponentInstance) {
  return (): void => {
    const was = inst.backpressure > 0;
    inst.backpressure++;
    if (inst.backpressure >= 2 ** 16) inst.trap("backpressure.inc overflowed");
    traceBackpressure(inst, was);
  };
}

export function canonBackpressureDec(inst: ComponentInstance) {
  return (): void => {
    const was = inst.backpressure > 0;
    inst.backpressure--;
    if (inst.backpressure < 0) inst.trap("backpressure.dec below zero");
    traceBackpressure(inst, was);
  };
}

function traceBackpressure(inst: ComponentInstance, was: boolean): void {
  const now = inst.backpressure > 0;
  if (was !== now) {
    inst.store.trace?.backpressure(now, inst.id, inst.active?.task.id ?? 0);
    if (!now) inst.store.schedule();
  }
}

export function canonTaskReturn(inst: ComponentInstance, resultType: ValType | null, opts: CanonOptions) {
  const resultTypes = resultType ? [resultType] : [];
  return (...flat: CoreValue[]): void => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("task.return may not be called now", "cannot-leave");
    if (!task.opts.async) inst.trap(`task.return was called in '${task.name}', which is not lifted async`);
    if (!sameType(resultType, task.ft.result)) inst.trap(`task.return's type ${typeName(resultType)} does not match '${task.name}''s result ${typeName(task.ft.result)}`);
    // Options that name no memory (a result that needs none) match any lift, as in Wasmtime.
    if ((opts.memory !== null && opts.memory !== task.opts.memory) || opts.stringEncoding !== task.opts.stringEncoding) inst.trap("task.return's options differ from the lifted function's");
    const cx = new LiftLowerContext(opts, inst, task);
    task.return(liftFlatValues(cx, MAX_FLAT_PARAMS, new CoreValueIter(flat), resultTypes));
  };
}

export function canonTaskCancel(inst: ComponentInstance) {
  return (): void => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("task.cancel may not be called now", "cannot-leave");
    if (!task.opts.async) inst.trap(`task.cancel was called in '${task.name}', which is not lifted async`);
    task.cancel();
  };
}

/**
 * `thread.yield`: with JSPI the task's stack goes to the back of the store's queue, so every other
 * ready task runs first; without JSPI nothing else can run meanwhile and it returns at once.
 */
export function canonYield(inst: ComponentInstance, cancellable: boolean) {
  return (): number | Promise<number> => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("thread.yield may not be called now (during lifting, lowering or post-return)", "cannot-leave");
    if (task.deliverPendingCancel(cancellable)) return 1;
    if (!inst.store.jspi || !inst.jspiEntries || !task.mayBlock()) return 0;
    return block(task, () => true, (cancelled) => (cancelled || task.deliverPendingCancel(cancellable) ? 1 : 0), "thread.yield", true, cancellable);
  };
}

// ---------------------------------------------------------------- threads (CanonicalABI.md: "canon thread.*")

/**
 * `thread.index`: the index of the running thread in the instance's thread table. A thread
 * `thread.new-indirect` made has one from the start; a task's implicit thread is numbered when
 * first asked for.
 */
export function canonThreadIndex(inst: ComponentInstance) {
  return (): number => {
    const thread = currentThread(inst);
    if (!inst.mayLeave) inst.trap("thread.index may not be called now (during lifting, lowering or post-return)", "cannot-leave");
    thread.index ??= inst.threads.add(thread);
    return thread.index;
  };
}

/**
 * `thread.new-indirect`: a new thread of the running task, suspended, that will call element `fi`
 * of `table` with `c`. `start` is that call as a wasm function (`call_indirect` of the declared
 * type, so a start function of another type traps when the thread starts).
 */
export function canonThreadNewIndirect(inst: ComponentInstance, table: WebAssembly.Table, start: CoreFn) {
  return (fi: number, c: CoreValue): number => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("thread.new-indirect may not be called now (during lifting, lowering or post-return)", "cannot-leave");
    const index = fi >>> 0;
    if (index >= table.length || table.get(index) === null) {
      inst.trap(`thread.new-indirect: element ${index} of the function table is ${index >= table.length ? `out of bounds (the table has ${table.length})` : "null"}; pass the table index of the new thread's start function`, "core-indirect-call");
    }
    const thread = new Thread(task);
    thread.resume = () => {
      thread.resume = null;
      // Reserved for it: it starts once the stack that resumed it has suspended or finished.
      inst.active = thread;
      void RESOLVED.then(() => runThread(thread, start, [fi, c]));
    };
    task.registerThread(thread);
    return thread.index!;
  };
}

const RESOLVED = Promise.resolve();

/** Runs a new thread's start function on a stack of its own (JSPI), or on a plain call without JSPI (then it may not suspend). */
function runThread(thread: Thread, start: CoreFn, args: CoreValue[]): void {
  const task = thread.task;
  const inst = task.inst;
  const store = inst.store;
  const what = ` (thread ${thread.index})`;
  const finished = () => {
    try {
      task.unregisterThread(thread);
    } catch (err) {
      store.fail(err);
    }
  };
  if (!inst.jspiEntries) {
    try {
      callOnThread(thread, start, args, what);
    } catch (err) {
      store.fail(err);
      return;
    }
    inst.active = null;
    finished();
    store.schedule();
    return;
  }
  startAsync(thread, start, args).then(
    () => {
      leftAsync(thread);
      finished();
    },
    (err: unknown) => {
      leftAsync(thread);
      store.fail(asTrap(err, inst, `${task.name}${what}`));
    },
  );
}

function callOnThread(thread: Thread, f: CoreFn, args: CoreValue[], what: string): void {
  const inst = thread.task.inst;
  inst.active = thread;
  try {
    f(...args);
  } catch (err) {
    throw asTrap(err, inst, `${thread.task.name}${what}`);
  }
}

/** The thread `i` names, other than the running one. */
function threadAt(inst: ComponentInstance, i: number, builtin: string): Thread {
  const index = i >>> 0;
  const t = index < inst.threads.array.length ? inst.threads.array[index] : undefined;
  if (!(t instanceof Thread)) inst.trap(`${builtin}: there is no thread ${index} in this instance; pass an index from thread.new-indirect or thread.index`, "unknown-handle", index);
  if (t === inst.active) inst.trap(`${builtin}: thread ${index} is the running thread itself; pass another thread's index`);
  return t;
}

/** The thread `i` names, which must be suspended: a switch's or `resume-later`'s target. */
function suspendedThread(inst: ComponentInstance, i: number, builtin: string): Thread {
  const t = threadAt(inst, i, builtin);
  const index = i >>> 0;
  if (!t.isSuspended()) {
    inst.trap(`${builtin}: thread ${index} is not suspended (it runs, or waits for an event or its turn); CanonicalABI.md only resumes a suspended thread: pass a thread made by thread.new-indirect, or one that suspended itself`);
  }
  return t;
}

/**
 * Spec `Thread.suspend`, `switch_to` and `yield_to`: suspends the running thread's stack (JSPI)
 * until something calls its `resume`; `other`, if given, runs next; `yieldFirst` queues it in the
 * store at once, so it runs again when its instance is free. Returns the built-in's result: 1 when
 * a cancellation woke it.
 */
function suspendThread(thread: Thread, what: string, cancellable: boolean, next: (() => void) | null, yieldFirst: boolean): number | Promise<number> {
  const task = thread.task;
  const inst = task.inst;
  const store = inst.store;
  if (task.deliverPendingCancel(cancellable)) return 1;
  mayStackSuspend(task, what);
  return new Promise<number>((resolve) => {
    thread.suspended = true;
    thread.blocked = true;
    store.trace?.waitBegin(inst.id, task.id, what);
    const cancelWaiter: CancellableWaiter = {
      describe: () => [inst.name, `thread ${thread.index ?? "?"} of '${task.name}' was cancelled while suspended in ${what}`],
      ready: () => inst.active === null,
      resume: () => {
        thread.waiter = null;
        thread.resumingLater = false;
        thread.resume?.(true);
      },
      cancel: () => {
        if (!thread.isSuspended()) return;
        thread.resumingLater = true;
        thread.waiter = cancelWaiter;
        store.wait(cancelWaiter);
      },
    };
    if (cancellable) task.cancellableWait = cancelWaiter;
    thread.resume = (cancelled) => {
      thread.resume = null;
      if (task.cancellableWait === cancelWaiter) task.cancellableWait = null;
      inst.active = thread;
      thread.suspended = false;
      thread.blocked = false;
      store.trace?.waitEnd(inst.id, task.id, what);
      store.trace?.entering();
      resolve(cancelled ? 1 : 0);
    };
    inst.active = null;
    if (yieldFirst) thread.resumeLater();
    next?.();
    store.schedule();
  });
}

/** `thread.suspend`: the running thread waits until another resumes it. A synchronous task that has not returned may not. */
export function canonThreadSuspend(inst: ComponentInstance, cancellable: boolean) {
  return (): number | Promise<number> => {
    const thread = currentThread(inst);
    if (!inst.mayLeave) inst.trap("thread.suspend may not be called now (during lifting, lowering or post-return)", "cannot-leave");
    if (!thread.task.mayBlock()) {
      inst.trap(`thread.suspend would block '${thread.task.name}', a synchronous task that has not returned (CanonicalABI.md: a synchronous task may not block before it returns): lift the export async, or suspend after task.return`, "sync-task-may-not-block");
    }
    return suspendThread(thread, "thread.suspend", cancellable, null, false);
  };
}

/**
 * `thread.{suspend,yield}-then-{resume,promote}`. `-resume`: thread `i`, which must be suspended,
 * runs next (spec `switch_to`). `-promote`: thread `i` is one that waits (for an event, or its
 * turn); it runs next only if what it waits for is there, else the store runs it when it is.
 * `suspend-`: the running thread suspends until something resumes it; `yield-`: it runs again
 * once its instance is free (spec `yield_to`).
 */
export function canonThreadThen(inst: ComponentInstance, cancellable: boolean, yieldFirst: boolean, promote: boolean) {
  const builtin = `thread.${yieldFirst ? "yield" : "suspend"}-then-${promote ? "promote" : "resume"}`;
  return (i: number): number | Promise<number> => {
    const thread = currentThread(inst);
    if (!inst.mayLeave) inst.trap(`${builtin} may not be called now (during lifting, lowering or post-return)`, "cannot-leave");
    const other = promote ? threadAt(inst, i, builtin) : suspendedThread(inst, i, builtin);
    const next = () => {
      if (!promote) return other.resume!(false);
      const w = other.waiter;
      if (!w?.ready()) return;
      inst.store.unwait(w);
      w.resume();
    };
    return suspendThread(thread, `${builtin} of thread ${i >>> 0}`, cancellable, next, yieldFirst);
  };
}

/** `thread.resume-later`: thread `i` runs once its instance is free; the running thread goes on. */
export function canonThreadResumeLater(inst: ComponentInstance) {
  return (i: number): void => {
    currentThread(inst);
    if (!inst.mayLeave) inst.trap("thread.resume-later may not be called now (during lifting, lowering or post-return)", "cannot-leave");
    suspendedThread(inst, i, "thread.resume-later").resumeLater();
  };
}

// ---------------------------------------------------------------- waitables

function storeEvent(inst: ComponentInstance, memory: WebAssembly.Memory | null, ptr: number, [code, p1, p2]: EventTuple): number {
  if (!memory) inst.trap("waiting needs a memory option");
  const dv = new DataView(memory.buffer);
  if ((ptr & 3) !== 0 || ptr + 8 > dv.byteLength) inst.trap(`event pointer ${ptr} is misaligned or out of bounds`);
  dv.setUint32(ptr, p1 >>> 0, true);
  dv.setUint32(ptr + 4, p2 >>> 0, true);
  return code;
}

export function canonWaitableSetNew(inst: ComponentInstance) {
  return (): number => {
    if (!inst.mayLeave) inst.trap("waitable-set.new may not be called now", "cannot-leave");
    const s = new WaitableSet();
    s.onEvent = () => inst.store.schedule();
    return inst.handles.add(s);
  };
}

function getSet(inst: ComponentInstance, si: number): WaitableSet {
  const s = inst.handles.get(si >>> 0);
  if (!(s instanceof WaitableSet)) inst.trap(`handle ${si} is not a waitable set`);
  return s;
}

export function canonWaitableSetWait(inst: ComponentInstance, cancellable: boolean, memory: WebAssembly.Memory | null) {
  return (si: number, ptr: number): number | Promise<number> => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("waitable-set.wait may not be called now", "cannot-leave");
    if (!task.mayBlock()) inst.trap(`'${task.name}' is not async and may not wait`, "sync-task-may-not-block");
    const wset = getSet(inst, si);
    const deliver = (): number => {
      if (task.deliverPendingCancel(cancellable)) return storeEvent(inst, memory, ptr, [EventCode.TASK_CANCELLED, 0, 0]);
      return storeEvent(inst, memory, ptr, wset.getPendingEvent());
    };
    if (wset.hasPendingEvent() || (cancellable && task.state === "pending-cancel")) return deliver();
    wset.numWaiting++;
    return block(
      task,
      () => wset.hasPendingEvent() || (cancellable && task.state === "pending-cancel"),
      (cancelled) => {
        wset.numWaiting--;
        if (cancelled) return storeEvent(inst, memory, ptr, [EventCode.TASK_CANCELLED, 0, 0]);
        return deliver();
      },
      `waitable-set.wait${cancellable ? " cancellable" : ""} on set ${si}`,
      false,
      cancellable,
    ) as number;
  };
}

export function canonWaitableSetPoll(inst: ComponentInstance, cancellable: boolean, memory: WebAssembly.Memory | null) {
  return (si: number, ptr: number): number => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("waitable-set.poll may not be called now", "cannot-leave");
    const wset = getSet(inst, si);
    let event: EventTuple;
    if (task.deliverPendingCancel(cancellable)) event = [EventCode.TASK_CANCELLED, 0, 0];
    else if (!wset.hasPendingEvent()) event = [EventCode.NONE, 0, 0];
    else event = wset.getPendingEvent();
    return storeEvent(inst, memory, ptr, event);
  };
}

export function canonWaitableSetDrop(inst: ComponentInstance) {
  return (si: number): void => {
    if (!inst.mayLeave) inst.trap("waitable-set.drop may not be called now", "cannot-leave");
    const wset = getSet(inst, si);
    if (wset.elems.size > 0) inst.trap(`waitable set ${si} was dropped while waitables are still joined to it`);
    if (wset.numWaiting > 0) inst.trap(`waitable set ${si} was dropped while a task waits on it`, "drop-set-with-waiters");
    inst.handles.remove(si >>> 0);
  };
}

export function canonWaitableJoin(inst: ComponentInstance) {
  return (wi: number, si: number): void => {
    if (!inst.mayLeave) inst.trap("waitable.join may not be called now", "cannot-leave");
    const w = inst.handles.get(wi >>> 0);
    if (!(w instanceof Waitable)) inst.trap(`handle ${wi} is not a waitable (subtask, stream or future end)`);
    if (w.syncWaiter) {
      inst.trap(`waitable.join: handle ${wi >>> 0} is being waited on synchronously (a synchronous copy, cancel or subtask.cancel on another thread), so it may not join a waitable set (CanonicalABI.md: a waitable cannot be used synchronously while added to a waitable set): let that finish first, or make the operation async`, "sync-op-on-joined-waitable", wi >>> 0);
    }
    w.join(si === 0 ? null : getSet(inst, si));
  };
}

export function canonSubtaskCancel(inst: ComponentInstance, async: boolean) {
  return (i: number): number => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("subtask.cancel may not be called now", "cannot-leave");
    if (!async && !task.mayBlock()) inst.trap(`a synchronous subtask.cancel would block '${task.name}', a synchronous task that has not returned (CanonicalABI.md: a synchronous task may not block before it returns): use subtask.cancel async`, "sync-task-may-not-block");
    const subtask = inst.handles.get(i >>> 0);
    if (!(subtask instanceof Subtask)) inst.trap(`handle ${i} is not a subtask`);
    if (!async && !subtask.resolved()) useSynchronously(inst, subtask, i, "subtask.cancel");
    if (subtask.resolveDelivered()) inst.trap(`subtask ${i} has already resolved`);
    if (subtask.cancellationRequested) inst.trap(`subtask ${i} was already cancelled`);
    const delivered = (): number => {
      const [code, index, payload] = subtask.getPendingEvent();
      assert(code === EventCode.SUBTASK && index === i >>> 0 && payload === subtask.state, "unexpected subtask event");
      return subtask.state;
    };
    // In the spec the callee runs on the canceller's stack until it blocks or finishes; a callee
    // whose stack JSPI runs separately is waited for (when this task may suspend) instead.
    const callee = subtask.callee;
    const settled = <T>(next: () => T): T | Promise<T> =>
      callee instanceof Task && callee.busy() && inst.store.jspi && inst.jspiEntries && task.mayBlock() ? block(task, () => !callee.busy(), next, `subtask.cancel of ${i} (the callee runs)`) : next();
    const finish = (): number | Promise<number> => {
      if (subtask.resolved()) return delivered();
      if (async) return BLOCKED;
      return blockOn(task, subtask, () => subtask.resolved(), delivered, `subtask.cancel of ${i}`);
    };
    return settled(() => {
      if (subtask.resolved()) return delivered();
      subtask.cancellationRequested = true;
      callee!.requestCancellation();
      return settled(finish);
    }) as number;
  };
}

export function canonSubtaskDrop(inst: ComponentInstance) {
  return (i: number): void => {
    if (!inst.mayLeave) inst.trap("subtask.drop may not be called now", "cannot-leave");
    const s = inst.handles.get(i >>> 0);
    if (!(s instanceof Subtask)) inst.trap(`handle ${i} is not a subtask`);
    s.drop(inst);
    inst.handles.remove(i >>> 0);
  };
}

// ---------------------------------------------------------------- streams and futures

export function canonStreamNew(inst: ComponentInstance, elem: ValType | null) {
  return (): bigint => {
    if (!inst.mayLeave) inst.trap("stream.new may not be called now", "cannot-leave");
    const shared = new SharedStreamImpl(elem, inst.store);
    const ri = inst.handles.add(new ReadableStreamEnd(shared));
    const wi = inst.handles.add(new WritableStreamEnd(shared));
    return BigInt(ri) | (BigInt(wi) << 32n);
  };
}

export function canonFutureNew(inst: ComponentInstance, elem: ValType | null) {
  return (): bigint => {
    if (!inst.mayLeave) inst.trap("future.new may not be called now", "cannot-leave");
    const shared = new SharedFutureImpl(elem, inst.store);
    const ri = inst.handles.add(new ReadableFutureEnd(shared));
    const wi = inst.handles.add(new WritableFutureEnd(shared));
    return BigInt(ri) | (BigInt(wi) << 32n);
  };
}

type EndClass = abstract new (...a: never[]) => CopyEnd;

function getEnd<T extends CopyEnd>(inst: ComponentInstance, i: number, cls: EndClass, elem: ValType | null, what: string): T {
  const e = inst.handles.get(i >>> 0);
  if (!(e instanceof cls)) inst.trap(`handle ${i} is not ${what}`);
  if (!sameType((e as CopyEnd).shared.t, elem)) inst.trap(`handle ${i} is ${what} of a different element type`);
  return e as T;
}

export function canonStreamCopy(inst: ComponentInstance, elem: ValType | null, opts: CanonOptions, dir: "read" | "write") {
  const eventCode = dir === "read" ? EventCode.STREAM_READ : EventCode.STREAM_WRITE;
  const cls = dir === "read" ? ReadableStreamEnd : WritableStreamEnd;
  const what = dir === "read" ? "the readable end of a stream" : "the writable end of a stream";
  const trace = inst.store.trace;
  return (i: number, ptr: number, n: number): number => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap(`stream.${dir} may not be called now`, "cannot-leave");
    if (!task.mayBlock() && !opts.async) inst.trap(`'${task.name}' is synchronous and may not ${dir} a stream synchronously`, "sync-task-may-not-block");
    const e = getEnd<ReadableStreamEnd | WritableStreamEnd>(inst, i, cls, elem, what);
    if (e.state === "done") inst.trap(`stream handle ${i} is finished (its other end was dropped)`, dir === "read" ? "read-after-done" : "write-after-done", i);
    if (e.state !== "idle") inst.trap(`stream handle ${i} is already copying`, "concurrent-copy", i);
    const cx = new LiftLowerContext(opts, inst, null);
    const buffer: BufferGuestImpl = dir === "read" ? new WritableBufferGuestImpl(elem, cx, ptr >>> 0, n >>> 0) : new ReadableBufferGuestImpl(elem, cx, ptr >>> 0, n >>> 0);
    const index = i >>> 0;
    const streamEvent = (result: CopyResult, reclaim: () => void): EventTuple => {
      reclaim();
      e.progressPending = false;
      e.state = result === CopyResult.DROPPED ? "done" : "idle";
      if (dir === "read") trace?.streamRead(inst.id, task.id, e.shared.id, buffer.progress, undefined, copyResultName(result));
      else trace?.streamWrite(inst.id, task.id, e.shared.id, buffer.progress, undefined, copyResultName(result));
      return [eventCode, index, result | (buffer.progress << 4)];
    };
    // A write that found no reader is under backpressure until the reader takes from it (or it ends).
    let pressed = false;
    const released = () => {
      if (!pressed) return;
      pressed = false;
      trace?.backpressure(false, inst.id, task.id, e.shared.id);
    };
    const onCopy = (reclaim: () => void) => {
      e.progressPending = true;
      released();
      e.setPendingEvent(() => streamEvent(CopyResult.COMPLETED, reclaim));
      inst.store.schedule();
    };
    const onCopyDone = (result: CopyResult) => {
      e.progressPending = false;
      released();
      e.setPendingEvent(() => streamEvent(result, () => {}));
      inst.store.schedule();
    };
    if (buffer instanceof WritableBufferGuestImpl) (e as ReadableStreamEnd).shared.read(inst, buffer, onCopy, onCopyDone);
    else (e as WritableStreamEnd).shared.write(inst, buffer as ReadableBufferGuestImpl, onCopy, onCopyDone);
    const payload = (): number => e.getPendingEvent()[2];
    if (!e.hasPendingEvent()) {
      // The copy is BLOCKED: a read until something is written, a write (backpressure) until it is read.
      if (dir === "write" && trace) {
        pressed = true;
        trace.backpressure(true, inst.id, task.id, e.shared.id);
      } else trace?.streamRead(inst.id, task.id, e.shared.id, 0, undefined, "blocked");
      if (!opts.async) {
        useSynchronously(inst, e, i, `stream.${dir}`);
        e.state = "sync-copying";
        return blockOn(task, e, () => e.hasPendingEvent(), payload, `a synchronous stream.${dir}`) as number;
      }
      e.state = "async-copying";
      return BLOCKED;
    }
    return payload();
  };
}

function copyResultName(r: CopyResult): string {
  return r === CopyResult.COMPLETED ? "completed" : r === CopyResult.DROPPED ? "dropped" : "cancelled";
}

export function canonFutureCopy(inst: ComponentInstance, elem: ValType | null, opts: CanonOptions, dir: "read" | "write") {
  const eventCode = dir === "read" ? EventCode.FUTURE_READ : EventCode.FUTURE_WRITE;
  const cls = dir === "read" ? ReadableFutureEnd : WritableFutureEnd;
  const what = dir === "read" ? "the readable end of a future" : "the writable end of a future";
  const trace = inst.store.trace;
  return (i: number, ptr: number): number => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap(`future.${dir} may not be called now`, "cannot-leave");
    if (!task.mayBlock() && !opts.async) inst.trap(`'${task.name}' is synchronous and may not ${dir} a future synchronously`, "sync-task-may-not-block");
    const e = getEnd<ReadableFutureEnd | WritableFutureEnd>(inst, i, cls, elem, what);
    if (e.state === "done") inst.trap(`future handle ${i} is finished`, dir === "read" ? "read-after-done" : "write-after-done", i);
    if (e.state !== "idle") inst.trap(`future handle ${i} is already copying`, "concurrent-copy", i);
    const cx = new LiftLowerContext(opts, inst, null);
    const buffer: BufferGuestImpl = dir === "read" ? new WritableBufferGuestImpl(elem, cx, ptr >>> 0, 1) : new ReadableBufferGuestImpl(elem, cx, ptr >>> 0, 1);
    const index = i >>> 0;
    const futureEvent = (result: CopyResult): EventTuple => {
      e.state = result === CopyResult.DROPPED || result === CopyResult.COMPLETED ? "done" : "idle";
      if (dir === "read") trace?.futureRead(inst.id, task.id, e.shared.id, buffer.progress, undefined, copyResultName(result));
      else trace?.futureWrite(inst.id, task.id, e.shared.id, buffer.progress, undefined, copyResultName(result));
      return [eventCode, index, result];
    };
    const onCopyDone = (result: CopyResult) => {
      e.setPendingEvent(() => futureEvent(result));
      inst.store.schedule();
    };
    if (buffer instanceof WritableBufferGuestImpl) (e as ReadableFutureEnd).shared.read(inst, buffer, onCopyDone);
    else (e as WritableFutureEnd).shared.write(inst, buffer as ReadableBufferGuestImpl, onCopyDone);
    const payload = (): number => e.getPendingEvent()[2];
    if (!e.hasPendingEvent()) {
      if (dir === "read") trace?.futureRead(inst.id, task.id, e.shared.id, 0, undefined, "blocked");
      else trace?.futureWrite(inst.id, task.id, e.shared.id, 0, undefined, "blocked");
      if (!opts.async) {
        useSynchronously(inst, e, i, `future.${dir}`);
        e.state = "sync-copying";
        return blockOn(task, e, () => e.hasPendingEvent(), payload, `a synchronous future.${dir}`) as number;
      }
      e.state = "async-copying";
      return BLOCKED;
    }
    return payload();
  };
}

export function canonCancelCopy(inst: ComponentInstance, elem: ValType | null, async: boolean, cls: EndClass, what: string) {
  const stream = cls === ReadableStreamEnd || cls === WritableStreamEnd;
  const builtin = `${stream ? "stream" : "future"}.cancel-${cls === ReadableStreamEnd || cls === ReadableFutureEnd ? "read" : "write"}`;
  return (i: number): number => {
    const task = currentTask(inst);
    if (!inst.mayLeave) inst.trap("cancelling a copy may not be done now", "cannot-leave");
    if (!async && !task.mayBlock()) inst.trap(`a synchronous cancel of a copy would block '${task.name}', a synchronous task that has not returned (CanonicalABI.md: a synchronous task may not block before it returns): cancel async`, "sync-task-may-not-block");
    const e = getEnd<CopyEnd>(inst, i, cls, elem, what);
    if (e.state !== "async-copying") inst.trap(`handle ${i} has no asynchronous copy in progress to cancel`);
    if (!async) useSynchronously(inst, e, i, `${builtin} (cancelling the copy on ${what})`, ". A guest built with wit-bindgen 0.58 does this when an event wakes a sleeping task (it cancels its wakeup read before taking it out of the set): rebuild it with a wit-bindgen that has PR 1638, which does it the other way round");
    e.state = "cancelling-copy";
    // A copy that made progress is still open until its event is taken: cancelling ends it as
    // CANCELLED with that progress (0x42 for 4 elements), not COMPLETED.
    if (!e.hasPendingEvent() || e.progressPending) {
      e.shared.cancel();
      if (!e.hasPendingEvent()) {
        if (async) return BLOCKED;
        return blockOn(task, e, () => e.hasPendingEvent(), () => e.getPendingEvent()[2], `cancelling the copy on handle ${i}`) as number;
      }
    }
    return e.getPendingEvent()[2];
  };
}

export function canonDropEnd(inst: ComponentInstance, elem: ValType | null, cls: EndClass, what: string) {
  return (i: number): void => {
    if (!inst.mayLeave) inst.trap("dropping a stream or future end may not be done now", "cannot-leave");
    const e = getEnd<CopyEnd>(inst, i, cls, elem, what);
    inst.handles.remove(i >>> 0);
    e.drop(inst);
    const trace = inst.store.trace;
    if (!trace) return;
    const end = e instanceof ReadableStreamEnd || e instanceof ReadableFutureEnd ? "readable" : "writable";
    if (e instanceof ReadableStreamEnd || e instanceof WritableStreamEnd) trace.streamDrop(inst.id, inst.active?.task.id ?? 0, e.shared.id, end);
    else trace.futureDrop(inst.id, inst.active?.task.id ?? 0, e.shared.id, end);
  };
}

export const END_CLASSES = { ReadableStreamEnd, WritableStreamEnd, ReadableFutureEnd, WritableFutureEnd };

// ---------------------------------------------------------------- error-context

export function canonErrorContextNew(inst: ComponentInstance, opts: CanonOptions) {
  return (ptr: number, units: number): number => {
    if (!inst.mayLeave) inst.trap("error-context.new may not be called now", "cannot-leave");
    const cx = new LiftLowerContext(opts, inst);
    return inst.handles.add(new ErrorContext(loadStringFromRange(cx, ptr >>> 0, units >>> 0)));
  };
}

export function canonErrorContextDebugMessage(inst: ComponentInstance, opts: CanonOptions) {
  return (i: number, ptr: number): void => {
    if (!inst.mayLeave) inst.trap("error-context.debug-message may not be called now", "cannot-leave");
    const e = inst.handles.get(i >>> 0);
    if (!(e instanceof ErrorContext)) inst.trap(`handle ${i} is not an error-context`);
    const cx = new LiftLowerContext(opts, inst);
    const [p, n] = storeStringIntoRange(cx, e.debugMessage);
    const dv = cx.dv;
    dv.setUint32(ptr >>> 0, p, true);
    dv.setUint32((ptr >>> 0) + 4, n >>> 0, true);
  };
}

export function canonErrorContextDrop(inst: ComponentInstance) {
  return (i: number): void => {
    if (!inst.mayLeave) inst.trap("error-context.drop may not be called now", "cannot-leave");
    const e = inst.handles.get(i >>> 0);
    if (!(e instanceof ErrorContext)) inst.trap(`handle ${i} is not an error-context`);
    inst.handles.remove(i >>> 0);
  };
}
