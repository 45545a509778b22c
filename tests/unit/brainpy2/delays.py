"""When a spike delayed by a projection reaches the postsynaptic current (BrainPy's API).

``first_arrival(kind, delay)`` sends one spike (at t = 1 ms, step 10 of 0.1 ms) through
one projection of ``kind`` with ``delay`` (ms; steps for the old ``bp.synapses``), and
returns the first step with a current and that current. Written against BrainPy's API:
with its imports changed back (``import brainpy as bp``) it measures BrainPy itself,
which is how the tests' expected values were obtained.
"""

import numpy as np

import brainx.compat.brainpy as bp


def _network(kind, delay):
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[1.0])
            self.post = bp.neurons.LIF(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20.,
                                       V_initializer=bp.init.OneInit(-60.))
            one = bp.dnn.OneToOne(1, 1.0)
            if kind == "postMg":
                self.proj = bp.dyn.FullProjAlignPostMg(
                    pre=self.pre, delay=delay, comm=one, syn=bp.dyn.Expon.desc(1, tau=5.),
                    out=bp.dyn.CUBA.desc(), post=self.post)
            elif kind == "post":
                self.proj = bp.dyn.FullProjAlignPost(
                    pre=self.pre, delay=delay, comm=one, syn=bp.dyn.Expon(1, tau=5.),
                    out=bp.dyn.CUBA(), post=self.post)
            elif kind == "preDS":
                self.proj = bp.dyn.FullProjAlignPreDSMg(
                    pre=self.pre, delay=delay, syn=bp.dyn.Expon.desc(1, tau=5.), comm=one,
                    out=bp.dyn.CUBA(), post=self.post)
            elif kind == "preSD":
                self.proj = bp.dyn.FullProjAlignPreSDMg(
                    pre=self.pre, syn=bp.dyn.Expon.desc(1, tau=5.), delay=delay, comm=one,
                    out=bp.dyn.CUBA(), post=self.post)
            else:  # BrainPy 2.0-2.3's synapse, adding to post.input
                self.proj = bp.synapses.Exponential(self.pre, self.post, bp.conn.One2One(),
                                                    g_max=1.0, delay_step=delay, tau=5.,
                                                    output=bp.synouts.CUBA())
    return Net()


def first_arrival(kind, delay):
    net = _network(kind, delay)
    if kind == "old":
        monitor = net.proj.g
    else:
        def monitor():
            return net.post.sum_current_inputs(net.post.V.value)
    runner = bp.DSRunner(net, monitors={"current": monitor}, progress_bar=False)
    runner.run(3.0)
    current = np.asarray(runner.mon["current"])[:, 0]
    step = int(np.argmax(current > 0))
    return step, float(current[step])
