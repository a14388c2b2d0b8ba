# event: {"transitions": ["start", "pause", "resume", "stop", "start"]}
# arena-kib: 256
from enum import Enum, IntEnum, auto, Flag


class State(Enum):
    IDLE = auto()
    RUNNING = auto()
    PAUSED = auto()
    STOPPED = auto()


class Priority(IntEnum):
    LOW = 1
    HIGH = 3


class Perm(Flag):
    R = 4
    W = 2
    X = 1


class InvalidTransition(Exception):
    pass


TABLE = {
    (State.IDLE, "start"): State.RUNNING,
    (State.RUNNING, "pause"): State.PAUSED,
    (State.PAUSED, "resume"): State.RUNNING,
    (State.RUNNING, "stop"): State.STOPPED,
    (State.PAUSED, "stop"): State.STOPPED,
}


def handler(event, context):
    state = State.IDLE
    history = [state.name]
    error = None
    for t in event["transitions"]:
        try:
            state = TABLE[(state, t)]
        except KeyError:
            error = f"cannot {t} from {state.name.lower()}"
            break
        history.append(state.name)
    rw = Perm.R | Perm.W
    return {
        "history": history,
        "error": error,
        "values": [s.value for s in State],
        "lookup": State(2).name,
        "by_name": State["PAUSED"].value,
        "repr": repr(State.IDLE),
        "str": str(Priority.HIGH),
        "int": Priority.HIGH + 1,
        "cmp": Priority.LOW < Priority.HIGH,
        "sorted": [p.name for p in sorted([Priority.HIGH, Priority.LOW])],
        "flag": [Perm.R in rw, Perm.X in rw, rw.value],
        "members": list(State.__members__),
        "is": State.RUNNING is TABLE[(State.IDLE, "start")],
    }
