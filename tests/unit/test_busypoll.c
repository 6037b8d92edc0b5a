/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* frontd/busypoll: the adaptive polling window of the event loop, driven
 * with made-up clock readings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "busypoll.h"

#define US 1000u
#define T0 1000000000u      /* an arbitrary start time */

/* One call that ends idle time `gap` after the previous one went idle. */
static uint64_t call_after(sv_busypoll *bp, uint64_t t, uint64_t gap)
{
    t += gap;
    sv_busypoll_woke(bp, t);
    t += 5 * US;                    /* handling it */
    sv_busypoll_idle(bp, t);
    return t;
}

static void test_off(void **state)
{
    sv_busypoll bp;
    uint64_t t = T0;

    (void)state;
    sv_busypoll_init(&bp, 0);
    for (int i = 0; i < 50; i++) {
        t = call_after(&bp, t, 30 * US);
        assert_false(sv_busypoll_spin(&bp, t));
    }
    assert_int_equal(bp.window_ns, 0);
}

static void test_fresh_loop_blocks(void **state)
{
    sv_busypoll bp;

    (void)state;
    sv_busypoll_init(&bp, 200 * US);
    /* Nothing handled yet: block. */
    assert_false(sv_busypoll_spin(&bp, T0));
    /* The first call does not make the loop spin either. */
    sv_busypoll_woke(&bp, T0);
    sv_busypoll_idle(&bp, T0 + 5 * US);
    assert_false(sv_busypoll_spin(&bp, T0 + 6 * US));
}

static void test_grows_to_cover_the_gap(void **state)
{
    sv_busypoll bp;
    uint64_t t = T0;

    (void)state;
    sv_busypoll_init(&bp, 200 * US);
    t = call_after(&bp, t, 0);
    /* Calls 30 us apart: 10 -> 20 -> 40 us, then stays. */
    t = call_after(&bp, t, 30 * US);
    assert_int_equal(bp.window_ns, 10 * US);
    t = call_after(&bp, t, 30 * US);
    assert_int_equal(bp.window_ns, 20 * US);
    t = call_after(&bp, t, 30 * US);
    assert_int_equal(bp.window_ns, 40 * US);
    for (int i = 0; i < 100; i++)
        t = call_after(&bp, t, 30 * US);
    assert_int_equal(bp.window_ns, 40 * US);
    /* Spins inside the window, blocks after it. */
    assert_true(sv_busypoll_spin(&bp, t + 1));
    assert_true(sv_busypoll_spin(&bp, t + 39 * US));
    assert_false(sv_busypoll_spin(&bp, t + 40 * US));
}

static void test_capped_at_max(void **state)
{
    sv_busypoll bp;
    uint64_t t = T0;

    (void)state;
    sv_busypoll_init(&bp, 50 * US);
    t = call_after(&bp, t, 0);
    for (int i = 0; i < 20; i++)
        t = call_after(&bp, t, 45 * US);
    assert_int_equal(bp.window_ns, 50 * US);
    /* Gaps beyond the maximum never grow it. */
    sv_busypoll_init(&bp, 50 * US);
    t = call_after(&bp, t, 0);
    for (int i = 0; i < 20; i++)
        t = call_after(&bp, t, 80 * US);
    assert_int_equal(bp.window_ns, 0);
}

static void test_idle_shrinks_to_zero(void **state)
{
    sv_busypoll bp;
    uint64_t t = T0;
    int calls = 0;

    (void)state;
    sv_busypoll_init(&bp, 200 * US);
    t = call_after(&bp, t, 0);
    for (int i = 0; i < 20; i++)
        t = call_after(&bp, t, 190 * US);
    assert_int_equal(bp.window_ns, 200 * US);
    /* One call a second (a keepalive, a monitoring poll): the window
     * halves each time and is gone after a handful of calls. */
    while (bp.window_ns) {
        uint64_t before = bp.window_ns;
        t = call_after(&bp, t, 1000000 * US);
        assert_true(bp.window_ns < before);
        calls++;
    }
    assert_true(calls <= 5);
    assert_false(sv_busypoll_spin(&bp, t + 1));
}

static void test_small_max(void **state)
{
    sv_busypoll bp;
    uint64_t t = T0;

    (void)state;
    /* A maximum below the first step is used as it is. */
    sv_busypoll_init(&bp, 3 * US);
    t = call_after(&bp, t, 0);
    t = call_after(&bp, t, 2 * US);
    assert_int_equal(bp.window_ns, 3 * US);
    assert_true(sv_busypoll_spin(&bp, t + 2 * US));
    t = call_after(&bp, t, 1000 * US);
    assert_int_equal(bp.window_ns, 0);
}

/* Grow the window to 40 us with calls 30 us apart; returns the time. */
static uint64_t warm_up(sv_busypoll *bp)
{
    uint64_t t = call_after(bp, T0, 0);

    for (int i = 0; i < 10; i++)
        t = call_after(bp, t, 30 * US);
    assert_int_equal(bp->window_ns, 40 * US);
    return t;
}

/* The loop polls once at t + 1 us and comes back `late` later. */
static uint64_t poll_round(sv_busypoll *bp, uint64_t t, uint64_t late)
{
    assert_true(sv_busypoll_spin(bp, t + 1 * US));
    sv_busypoll_polled(bp, t + 1 * US);
    sv_busypoll_polled(bp, t + 1 * US + late);
    return t + 1 * US + late;
}

static void test_prompt_rounds_keep_polling(void **state)
{
    sv_busypoll bp;
    uint64_t t;

    (void)state;
    sv_busypoll_init(&bp, 200 * US);
    t = warm_up(&bp);
    for (int i = 0; i < 10; i++)
        sv_busypoll_polled(&bp, t + (uint64_t)(i + 1) * 2 * US);
    assert_int_equal(bp.window_ns, 40 * US);
    assert_true(sv_busypoll_spin(&bp, t + 21 * US));
}

static void test_one_late_round_is_forgiven(void **state)
{
    sv_busypoll bp;
    uint64_t t;

    (void)state;
    sv_busypoll_init(&bp, 200 * US);
    t = warm_up(&bp);
    /* An interrupt or the hypervisor held us up once. */
    t = poll_round(&bp, t, SV_BUSYPOLL_STALL_NS + 1);
    assert_int_equal(bp.window_ns, 0);
    assert_false(sv_busypoll_spin(&bp, t + 1));
    /* Blocked; the next call 30 us later grows the window again at once. */
    t = call_after(&bp, t, 30 * US);
    assert_int_equal(bp.window_ns, 10 * US);
    /* A call caught while polling forgets the late round. */
    t = call_after(&bp, t, 30 * US);
    t = call_after(&bp, t, 30 * US);
    t = call_after(&bp, t, 30 * US);
    assert_int_equal(bp.late, 0);
}

static void test_busy_cpu_holds_polling_off(void **state)
{
    sv_busypoll bp;
    uint64_t t, hold = SV_BUSYPOLL_HOLD_MIN_NS;

    (void)state;
    sv_busypoll_init(&bp, 200 * US);
    t = warm_up(&bp);
    t = poll_round(&bp, t, 3 * SV_BUSYPOLL_STALL_NS);     /* forgiven */
    for (int i = 0; i < 12; i++) {
        uint64_t late_at;

        /* Regrow the window, poll, and come back late again. */
        t = call_after(&bp, t, 30 * US);
        if (bp.window_ns == 0) {
            t = call_after(&bp, t, 30 * US);
        }
        assert_true(bp.window_ns > 0);
        t = poll_round(&bp, t, 3 * SV_BUSYPOLL_STALL_NS);
        late_at = t;
        assert_int_equal(bp.window_ns, 0);
        /* During the hold, calls 30 us apart do not grow the window... */
        t = call_after(&bp, t, 30 * US);
        assert_int_equal(bp.window_ns, 0);
        assert_true(bp.hold_until - late_at == hold);
        /* ...which doubles up to the maximum. */
        hold = hold * 2 > SV_BUSYPOLL_HOLD_MAX_NS ? SV_BUSYPOLL_HOLD_MAX_NS : hold * 2;
        t = late_at + bp.hold_until - late_at;        /* wait the hold out */
    }
    assert_int_equal(bp.hold_until - t, 0);
    /* Once the CPU is free, polling comes back and pays off. */
    t = call_after(&bp, t, 30 * US);
    t = call_after(&bp, t, 30 * US);
    t = call_after(&bp, t, 30 * US);
    t = call_after(&bp, t, 30 * US);
    t = call_after(&bp, t, 30 * US);
    assert_int_equal(bp.window_ns, 40 * US);
    assert_int_equal(bp.late, 0);
}

static void test_now_moves(void **state)
{
    uint64_t a, b;

    (void)state;
    a = sv_busypoll_now();
    b = sv_busypoll_now();
    assert_true(a > 0);
    assert_true(b >= a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off),
        cmocka_unit_test(test_fresh_loop_blocks),
        cmocka_unit_test(test_grows_to_cover_the_gap),
        cmocka_unit_test(test_capped_at_max),
        cmocka_unit_test(test_idle_shrinks_to_zero),
        cmocka_unit_test(test_small_max),
        cmocka_unit_test(test_prompt_rounds_keep_polling),
        cmocka_unit_test(test_one_late_round_is_forgiven),
        cmocka_unit_test(test_busy_cpu_holds_polling_off),
        cmocka_unit_test(test_now_moves),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
