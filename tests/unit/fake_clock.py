"""A fake monotonic clock with a recorded sleep, shared by the unit tests: no test really sleeps."""


class FakeClock:
    """Monotonic clock that only moves when the code under test sleeps (or a test says so).

    Call it (or its ``monotonic``) for the time; ``sleep`` records each length and
    moves the clock on, so it also stands in for the ``time`` module.
    """

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
