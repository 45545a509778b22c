"""Model components: modules, dynamical systems and neuron models.

Examples
--------
>>> import brainx
>>> with brainx.use_backend('numba'):
...     neurons = brainx.nn.LIF(100)
...     neurons(25.0).shape
(100,)
"""

from brainx.nn._activations import (
    CELU,
    ELU,
    GELU,
    GLU,
    SELU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    Identity,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    PReLU,
    ReLU,
    ReLU6,
    RReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softmax2d,
    Softmin,
    Softplus,
    Softshrink,
    Softsign,
    SpikeBitwise,
    Tanh,
    Tanhshrink,
    Threshold,
)
from brainx.nn._alif import ALIF
from brainx.nn._bases import Neuron, Synapse
from brainx.nn._conv import Conv1d, Conv2d, Conv3d
from brainx.nn._delay import (
    Delay,
    DelayAccess,
    Prefetch,
    PrefetchDelay,
    PrefetchDelayAt,
    StateWithDelay,
)
from brainx.nn._dropout import (
    AlphaDropout,
    Dropout,
    Dropout1d,
    Dropout2d,
    Dropout3d,
    DropoutFixed,
    FeatureAlphaDropout,
)
from brainx.nn._embedding import Embedding
from brainx.nn._exp_euler import exp_euler_step
from brainx.nn._inputs import (
    PoissonSpike,
    SpikeTime,
    SpikeTimeGroup,
    constant_input,
    ramp_input,
    section_input,
)
from brainx.nn._kinetic import AMPA, NMDA, STD, STP, GABAa
from brainx.nn._linear import AllToAll, Linear, OneToOne, ScaledWSLinear, SignedWLinear
from brainx.nn._module import Dynamics, Module, call_order, init_all_states, reset_all_states
from brainx.nn._neurons import HH, IF, LIF, AdExIF, ExpIF, Izhikevich, LIFRef, QuaIF
from brainx.nn._normalization import (
    BatchNorm0d,
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    GroupNorm,
    LayerNorm,
    RMSNorm,
)
from brainx.nn._pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveAvgPool3d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AdaptiveMaxPool3d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
)
from brainx.nn._projection import (
    AlignPostProj,
    AlignPreProj,
    CurrentProj,
    DeltaProj,
    DynamicsGroup,
    Projection,
    Sequential,
)
from brainx.nn._readout import LeakyRateReadout, LeakySpikeReadout
from brainx.nn._rnn import GRUCell, LSTMCell, MGUCell, RNNCell, URLSTMCell, ValinaRNNCell
from brainx.nn._shape import Flatten, Unflatten
from brainx.nn._synapses import COBA, CUBA, Alpha, DualExpon, Expon, MgBlock, SynOut

__all__ = ["Module", "Dynamics", "DynamicsGroup", "init_all_states", "reset_all_states",
           "IF", "LIF", "LIFRef", "ExpIF", "AdExIF", "QuaIF", "Izhikevich", "HH",
           "Expon", "DualExpon", "Alpha", "AMPA", "GABAa", "NMDA", "STP", "STD",
           "CUBA", "COBA", "MgBlock", "AlignPostProj", "AlignPreProj", "DeltaProj",
           "PoissonSpike", "SpikeTimeGroup", "section_input", "constant_input", "ramp_input",
           "Delay", "Sequential"]
__all__ += ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
            "FeatureAlphaDropout", "DropoutFixed", "ALIF"]
__all__ += ["BatchNorm0d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "RMSNorm",
            "GroupNorm"]
__all__ += ["Linear", "ScaledWSLinear", "SignedWLinear", "AllToAll", "OneToOne",
            "Conv1d", "Conv2d", "Conv3d", "MaxPool1d", "MaxPool2d", "MaxPool3d",
            "AvgPool1d", "AvgPool2d", "AvgPool3d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d",
            "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
            "Flatten", "Unflatten", "Embedding"]
__all__ += ["LeakyRateReadout", "LeakySpikeReadout"]
__all__ += ["RNNCell", "ValinaRNNCell", "GRUCell", "MGUCell", "LSTMCell", "URLSTMCell"]
__all__ += ["Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh",
            "SiLU", "Mish", "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU", "Hardshrink",
            "LeakyReLU", "LogSigmoid", "Softplus", "Softshrink", "PReLU", "Softsign",
            "Tanhshrink", "Softmin", "Softmax", "Softmax2d", "LogSoftmax", "Identity",
            "SpikeBitwise"]
__all__ += ["Neuron", "Synapse", "SynOut", "exp_euler_step", "Projection", "CurrentProj",
            "DelayAccess", "StateWithDelay", "Prefetch", "PrefetchDelay", "PrefetchDelayAt",
            "SpikeTime", "call_order"]

for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
