/**
 * The attempts' time-outs under the live clock, all kept by one JavaScript timer per duration.
 *
 * Why: a `setTimeout` per attempt, cleared when the attempt is answered, costs Node about 8 µs
 * of a call whose whole overhead is a few tens: when the last timer of a duration is cleared,
 * Node drops its list of that duration and reschedules its libuv timer, and the next attempt
 * builds both again. Attempts of one duration time out in the order they started (their
 * deadlines are the start time plus the same duration on a monotonic clock), so each duration
 * keeps them in a queue, first to time out at the head, and one timer armed for the head. An
 * attempt answered in time leaves the queue at once (a linked list: no search), and leaves the
 * timer as it is: armed for an earlier deadline, it finds the queue empty, or re-arms itself for
 * the new head. A call is then a link, an unlink and a clock read.
 *
 * The timer keeps the process alive (it is referenced) only while its queue holds an attempt,
 * as a timer per attempt did: a program whose calls are answered exits without waiting for it.
 */

/** One attempt's time-out: it runs `onTimeout` at `deadline`, unless cancelled first. */
export interface Deadline {
  readonly deadline: number
  readonly onTimeout: () => void
  /** The queue while the deadline is pending; `undefined` once it has run or been cancelled. */
  queue: Queue | undefined
  previous: Deadline | undefined
  next: Deadline | undefined
}

/** The pending deadlines of one duration, first to come at the head, and their timer. */
interface Queue {
  readonly millis: number
  head: Deadline | undefined
  tail: Deadline | undefined
  /** Armed for the head's deadline, or an earlier one; `undefined` when none is. */
  timer: ReturnType<typeof setTimeout> | undefined
  /** Running its due deadlines: it arms its timer for the head after them. */
  firing: boolean
}

/** Deadlines due within this many milliseconds run: a JavaScript timer keeps whole milliseconds. */
const tolerance = 1

const queues = new Map<number, Queue>()

/** Referenced: the process waits for the timer (Node); elsewhere timers have no such notion. */
const keepAlive = (timer: ReturnType<typeof setTimeout>, referenced: boolean) => {
  if (typeof timer === "object" && timer !== null && "ref" in timer) {
    if (referenced) timer.ref()
    else timer.unref()
  }
}

const unlink = (queue: Queue, entry: Deadline) => {
  if (entry.previous === undefined) queue.head = entry.next
  else entry.previous.next = entry.next
  if (entry.next === undefined) queue.tail = entry.previous
  else entry.next.previous = entry.previous
  entry.queue = undefined
  entry.previous = undefined
  entry.next = undefined
}

/** Runs the due deadlines of `queue`, then arms its timer for the next, if any. */
const fire = (queue: Queue) => {
  queue.timer = undefined
  queue.firing = true
  try {
    const now = performance.now()
    for (let head = queue.head; head !== undefined && head.deadline - now < tolerance; head = queue.head) {
      unlink(queue, head)
      head.onTimeout()
    }
  } finally {
    // Even past a throwing callback: the deadlines after it still need their timer.
    queue.firing = false
    rearm(queue)
  }
}

/** Arms the timer of `queue` for its head, or forgets the queue when it is empty. */
const rearm = (queue: Queue) => {
  if (queue.head === undefined) {
    // Dropped once idle: a caller varying its time-outs does not grow the map without end.
    if (queues.get(queue.millis) === queue) queues.delete(queue.millis)
    return
  }
  // Whole milliseconds: Node keeps a list of timers per delay.
  queue.timer = setTimeout(fire, Math.max(1, Math.ceil(queue.head.deadline - performance.now())), queue)
}

/**
 * Runs `onTimeout` once `millis` milliseconds have passed on the monotonic clock
 * (`performance.now`), unless `cancel` is called first.
 */
export const schedule = (millis: number, onTimeout: () => void): Deadline => {
  let queue = queues.get(millis)
  if (queue === undefined) {
    queue = { millis, head: undefined, tail: undefined, timer: undefined, firing: false }
    queues.set(millis, queue)
  }
  const entry: Deadline = {
    deadline: performance.now() + millis,
    onTimeout,
    queue,
    previous: queue.tail,
    next: undefined
  }
  const wasEmpty = queue.head === undefined
  if (queue.tail === undefined) queue.head = entry
  else queue.tail.next = entry
  queue.tail = entry
  // A deadline scheduled by a callback of `fire` waits for `fire` to arm the timer for the head.
  if (queue.timer === undefined) {
    if (!queue.firing) queue.timer = setTimeout(fire, millis, queue)
  } else if (wasEmpty) keepAlive(queue.timer, true)
  return entry
}

/** Cancels `entry`: its `onTimeout` will not run. Nothing happens if it ran or was cancelled. */
export const cancel = (entry: Deadline): void => {
  const queue = entry.queue
  if (queue === undefined) return
  unlink(queue, entry)
  if (queue.head === undefined && queue.timer !== undefined) keepAlive(queue.timer, false)
}
