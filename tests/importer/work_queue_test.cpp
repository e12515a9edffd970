#include "importer/work_queue.hpp"

#include <atomic>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace pressroom::importer {
namespace {

TEST(WorkQueue, FinishesEveryItemOnceInOrderWithEachWorksResult) {
  for (const int jobs : {1, 2, 4}) {
    SCOPED_TRACE("jobs " + std::to_string(jobs));
    std::vector<std::size_t> finished;
    run_in_order<std::string>(
        100, jobs, [](std::size_t item) { return "item " + std::to_string(item); },
        [&](std::size_t item, std::string&& result) {
          EXPECT_EQ(result, "item " + std::to_string(item));
          finished.push_back(item);
        });
    ASSERT_EQ(finished.size(), 100U);
    for (std::size_t i = 0; i < finished.size(); ++i) {
      EXPECT_EQ(finished[i], i);
    }
  }
}

TEST(WorkQueue, KeepsAtMostTheWindowInFlightAndUsesSeveralThreads) {
  constexpr int k_jobs = 3;
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};
  std::atomic<int> working{0};
  std::atomic<int> most_working{0};
  run_in_order(
      200, k_jobs,
      [&](std::size_t, std::size_t slot) {
        EXPECT_LT(slot, queue_window(k_jobs));
        const int now = ++in_flight;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        const int busy = ++working;
        int seen_busy = most_working.load();
        while (busy > seen_busy && !most_working.compare_exchange_weak(seen_busy, busy)) {
        }
        // Some work, so that workers overlap.
        volatile double sink = 0;
        for (int i = 0; i < 20000; ++i) {
          sink = sink + i;
        }
        --working;
      },
      [&](std::size_t, std::size_t) { --in_flight; });
  EXPECT_LE(most.load(), static_cast<int>(queue_window(k_jobs)));
  EXPECT_LE(most_working.load(), k_jobs);
  EXPECT_EQ(in_flight.load(), 0);
}

TEST(WorkQueue, RethrowsAWorkersExceptionAfterStopping) {
  std::atomic<int> started{0};
  EXPECT_THROW(run_in_order(
                   1000, 2,
                   [&](std::size_t item, std::size_t) {
                     ++started;
                     if (item == 5) {
                       throw std::runtime_error("broken");
                     }
                   },
                   [](std::size_t, std::size_t) {}),
               std::runtime_error);
  EXPECT_LT(started.load(), 1000) << "items after the failure are not started";
}

TEST(WorkQueue, RethrowsAFinishExceptionWithoutHanging) {
  EXPECT_THROW(run_in_order(
                   1000, 3, [](std::size_t, std::size_t) {},
                   [](std::size_t item, std::size_t) {
                     if (item == 7) {
                       throw std::runtime_error("broken");
                     }
                   }),
               std::runtime_error);
}

TEST(WorkQueue, DefaultJobsIsAtLeastOne) {
  EXPECT_GE(default_jobs(), 1);
  EXPECT_EQ(queue_window(0), 2U);
  EXPECT_EQ(queue_window(4), 8U);
}

}  // namespace
}  // namespace pressroom::importer
