#include "importer/work_queue.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace pressroom::importer {

int default_jobs() {
  // 0 when the system cannot tell.
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

std::size_t queue_window(int jobs) {
  return 2 * static_cast<std::size_t>(std::max(1, jobs));
}

namespace {

// What the workers and the calling thread share; every field under `mutex`.
struct QueueState {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;      // the next item a worker takes
  std::size_t finished = 0;  // items whose finish has returned
  std::vector<bool> done;    // per slot: its item's work has returned
  bool stop = false;         // an exception: take no more items
  std::exception_ptr failure;

  void fail(std::exception_ptr error) {
    const std::lock_guard lock(mutex);
    if (!failure) {
      failure = std::move(error);
    }
    stop = true;
    changed.notify_all();
  }
};

}  // namespace

void run_in_order(std::size_t count, int jobs,
                  const std::function<void(std::size_t, std::size_t)>& work,
                  const std::function<void(std::size_t, std::size_t)>& finish) {
  if (jobs <= 1 || count <= 1) {
    for (std::size_t item = 0; item < count; ++item) {
      work(item, 0);
      finish(item, 0);
    }
    return;
  }
  const std::size_t window = queue_window(jobs);
  QueueState state;
  state.done.assign(window, false);

  const auto worker = [&] {
    std::unique_lock lock(state.mutex);
    while (true) {
      // An item may start only when its slot is free: the item `window` before it is finished.
      state.changed.wait(lock, [&] {
        return state.stop || state.next >= count || state.next < state.finished + window;
      });
      if (state.stop || state.next >= count) {
        return;
      }
      const std::size_t item = state.next++;
      lock.unlock();
      try {
        work(item, item % window);
      } catch (...) {
        state.fail(std::current_exception());
        return;
      }
      lock.lock();
      state.done[item % window] = true;
      state.changed.notify_all();
    }
  };

  {
    std::vector<std::jthread> threads;
    // Stops and wakes the workers on every way out of this block, before the threads join.
    class StopOnExit {
     public:
      explicit StopOnExit(QueueState& state) : m_state(state) {}
      StopOnExit(const StopOnExit&) = delete;
      StopOnExit& operator=(const StopOnExit&) = delete;
      StopOnExit(StopOnExit&&) = delete;
      StopOnExit& operator=(StopOnExit&&) = delete;
      ~StopOnExit() {
        const std::lock_guard lock(m_state.mutex);
        m_state.stop = true;
        m_state.changed.notify_all();
      }

     private:
      QueueState& m_state;
    };
    const StopOnExit stop_on_exit(state);
    const auto workers =
        static_cast<std::size_t>(jobs) < count ? static_cast<std::size_t>(jobs) : count;
    threads.reserve(workers);
    for (std::size_t n = 0; n < workers; ++n) {
      threads.emplace_back(worker);
    }
    for (std::size_t item = 0; item < count; ++item) {
      const std::size_t slot = item % window;
      {
        std::unique_lock lock(state.mutex);
        state.changed.wait(lock, [&] { return state.done[slot] || state.stop; });
        if (state.stop) {
          break;
        }
        state.done[slot] = false;
      }
      try {
        finish(item, slot);
      } catch (...) {
        state.fail(std::current_exception());
        break;
      }
      const std::lock_guard lock(state.mutex);
      ++state.finished;
      state.changed.notify_all();
    }
  }  // stop_on_exit, then the threads join
  if (state.failure) {
    std::rethrow_exception(state.failure);
  }
}

}  // namespace pressroom::importer
