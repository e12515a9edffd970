#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace pressroom::importer {

// Worker threads a batch uses when not told: one per core the system reports, at least one.
int default_jobs();

// How many items run_in_order() keeps between the start of their work and the end of their
// finish at once: two per worker (one being worked on, one done and waiting for its turn), so
// that a batch's memory does not grow with its length.
std::size_t queue_window(int jobs);

// Runs work(i, slot) for every i in [0, count) on `jobs` worker threads, and finish(i, slot)
// on the calling thread for every i in order of i, each after work(i, slot) has returned.
// `slot` is i % queue_window(jobs): work(i) leaves its result in caller-owned storage at
// `slot`, finish(i) takes it from there, and the queue orders the two (no slot is reused before
// its finish has returned). Calls of `work` run concurrently with each other and with `finish`;
// `finish` calls never overlap, so the calling thread alone may use what is not thread-safe (a
// catalog connection, an observer). With jobs <= 1 there are no threads: work(0), finish(0),
// work(1), … on the calling thread. An exception from `work` or `finish` stops the queue (items
// not started are not) and is rethrown here once every worker has stopped.
void run_in_order(std::size_t count, int jobs,
                  const std::function<void(std::size_t item, std::size_t slot)>& work,
                  const std::function<void(std::size_t item, std::size_t slot)>& finish);

// The same for work that returns a value: finish(i, result) receives work(i)'s result.
template <class T>
void run_in_order(std::size_t count, int jobs, const std::function<T(std::size_t item)>& work,
                  const std::function<void(std::size_t item, T&& result)>& finish) {
  std::vector<std::optional<T>> slots(queue_window(jobs));
  run_in_order(
      count, jobs, [&](std::size_t item, std::size_t slot) { slots[slot].emplace(work(item)); },
      [&](std::size_t item, std::size_t slot) {
        T result = std::move(*slots[slot]);
        slots[slot].reset();
        finish(item, std::move(result));
      });
}

}  // namespace pressroom::importer
