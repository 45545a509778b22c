# ruff: noqa: UP008  (the reference program is kept as BrainPy 1.x users wrote it)
"""BrainPy 1.x's tutorial "Efficient Synaptic Computation" (shared/reference/002), with its
import lines changed to brainx's (and its indentation, lost in the reference's text,
restored). Only the network size and the run length are parameters here, so the tests
can run it small; the plotting calls are kept."""

import brainx.compat.brainpy as bp
import brainx.compat.brainpy.math as bm

bm.use_backend('numpy')

# Parameters for network structure
num = 4000
num_exc = int(num * 0.75)
num_inh = int(num * 0.25)

# Parameters for the neuron
tau = 20  # ms
Vt = -50  # mV
Vr = -60  # mV
El = -60  # mV
ref_time = 5.0  # refractory time, ms
I = 20.


class LIF(bp.NeuGroup):
    def __init__(self, size, **kwargs):
        super(LIF, self).__init__(size=size, **kwargs)

        # variables
        self.V = bm.Variable(bm.zeros(size))
        self.input = bm.Variable(bm.zeros(size))
        self.spike = bm.Variable(bm.zeros(size, dtype=bool))
        self.t_last_spike = bm.Variable(bm.ones(size) * -1e7)

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, V, t, Iexc):
        dV = (Iexc + El - V) / tau
        return dV

    def update(self, _t, _dt):
        for i in range(self.num):
            self.spike[i] = 0.
            if (_t - self.t_last_spike[i]) > ref_time:
                V = self.integral(self.V[i], _t, self.input[i])
                if V >= Vt:
                    self.V[i] = Vr
                    self.spike[i] = 1.
                    self.t_last_spike[i] = _t
                else:
                    self.V[i] = V
            self.input[i] = I


# Parameters for the synapse
tau_exc = 5  # ms
tau_inh = 10  # ms
E_exc = 0.  # mV
E_inh = -80.  # mV
delta_exc = 0.6  # excitatory synaptic weight
delta_inh = 6.7  # inhibitory synaptic weight


def run_net(neu_model, syn_model, duration=100., plot=False):
    E = neu_model(num_exc, monitors=['spike'])
    E.V[:] = bm.random.randn(num_exc) * 5. + Vr

    I = neu_model(num_inh, monitors=['spike'])
    I.V[:] = bm.random.randn(num_inh) * 5. + Vr

    E2E = syn_model(pre=E, post=E, conn=bp.connect.FixedProb(0.02),
                    tau=tau_exc, weight=delta_exc, E=E_exc)
    E2I = syn_model(pre=E, post=I, conn=bp.connect.FixedProb(0.02),
                    tau=tau_exc, weight=delta_exc, E=E_exc)
    I2E = syn_model(pre=I, post=E, conn=bp.connect.FixedProb(0.02),
                    tau=tau_inh, weight=delta_inh, E=E_inh)
    I2I = syn_model(pre=I, post=I, conn=bp.connect.FixedProb(0.02),
                    tau=tau_inh, weight=delta_inh, E=E_inh)

    net = bp.Network(E, I, E2E, E2I, I2E, I2I)
    net = bm.jit(net)
    t = net.run(duration, report=0.1)

    if plot:
        fig, gs = bp.visualize.get_figure(row_num=5, col_num=1, row_len=1, col_len=10)
        bp.visualize.raster_plot(E.mon.ts, E.mon.spike, xlim=(0, duration), ylabel='E Group',
                                 xlabel='')
        bp.visualize.raster_plot(I.mon.ts, I.mon.spike, xlim=(0, duration), ylabel='I Group')

    return t, E, I


class SynMat1(bp.TwoEndConn):
    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynMat1, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # p1: connections
        self.conn = conn(pre.size, post.size)
        self.conn_mat = self.conn.requires('conn_mat')

        # variables
        self.g = bm.Variable(bm.zeros(self.conn_mat.shape))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        self.g[:] = self.integral(self.g, _t)
        spike_on_syn = bm.expand_dims(self.pre.spike, 1) * self.conn_mat  # p2
        self.g[:] += spike_on_syn * self.weight  # p3
        self.post.input[:] += bm.sum(self.g, axis=0) * (self.E - self.post.V)  # p4


class SynMat2(bp.TwoEndConn):
    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynMat2, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # connections
        self.conn = conn(pre.size, post.size)
        self.conn_mat = self.conn.requires('conn_mat')

        # variables
        self.g = bm.Variable(bm.zeros(self.conn_mat.shape))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        self.g[:] = self.integral(self.g, _t)
        # p1
        for pre_i, spike in enumerate(self.pre.spike):
            if spike:
                self.g[pre_i] += self.conn_mat[pre_i] * self.weight
        self.post.input[:] += bm.sum(self.g, axis=0) * (self.E - self.post.V)


class SynVec1(bp.TwoEndConn):
    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynVec1, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = self.conn.requires('pre_ids', 'post_ids')
        self.num = len(self.pre_ids)

        # variables
        self.g = bm.Variable(bm.zeros(self.num))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        self.g[:] = self.integral(self.g, _t)
        for syn_i in range(self.num):
            # p1: update
            pre_i = self.pre_ids[syn_i]
            if self.pre.spike[pre_i]:
                self.g[syn_i] += self.weight
            # p2: output
            post_i = self.post_ids[syn_i]
            self.post.input[post_i] += self.g[syn_i] * (self.E - self.post.V[post_i])


class SynVec2(bp.TwoEndConn):
    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynVec2, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.pre2syn, self.post2syn = self.conn.requires('pre_ids', 'pre2syn',
                                                                       'post2syn')
        self.num = len(self.pre_ids)

        # variables
        self.g = bm.Variable(bm.zeros(self.num))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        self.g[:] = self.integral(self.g, _t)
        # p1: update
        for pre_i in range(self.pre.num):
            if self.pre.spike[pre_i]:
                for syn_i in self.pre2syn[pre_i]:
                    self.g[syn_i] += self.weight
        # p2: output
        for post_i in range(self.post.num):
            for syn_i in self.post2syn[post_i]:
                self.post.input[post_i] += self.g[syn_i] * (self.E - self.post.V[post_i])


class SynVec3(bp.TwoEndConn):
    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynVec3, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre2post = self.conn.requires('pre2post')

        # variables
        self.g = bm.Variable(bm.zeros(post.num))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        self.g[:] = self.integral(self.g, _t)
        # p1: update
        for pre_i in range(self.pre.num):
            if self.pre.spike[pre_i]:
                for post_i in self.pre2post[pre_i]:
                    self.g[post_i] += self.weight
        # p2: output
        self.post.input[:] += self.g * (self.E - self.post.V)


class SynVec4(bp.TwoEndConn):
    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynVec4, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_slice = self.conn.requires('pre_ids', 'post_slice')
        self.num = len(self.pre_ids)

        # variables
        self.g = bm.Variable(bm.zeros(self.num))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        self.g[:] = self.integral(self.g, _t)
        # p1: update
        for syn_i in range(self.num):
            pre_i = self.pre_ids[syn_i]
            if self.pre.spike[pre_i]:
                self.g[syn_i] += self.weight
        # p2: output
        for post_i in range(self.post.num):
            start, end = self.post_slice[post_i]
            # for syn_i in range(start, end):
            self.post.input[post_i] += self.g[start: end].sum() * (self.E - self.post.V[post_i])


class SynVec5(bp.TwoEndConn):
    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynVec5, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_slice, self.post_ids = self.conn.requires('pre_slice', 'post_ids')

        # variables
        self.g = bm.Variable(bm.zeros(post.num))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        self.g[:] = self.integral(self.g, _t)
        # p1: update
        for pre_i in range(self.pre.num):
            if self.pre.spike[pre_i]:
                start, end = self.pre_slice[pre_i]
                for post_i in self.post_ids[start: end]:
                    self.g[post_i] += self.weight
        # p2: output
        self.post.input[:] += self.g * (self.E - self.post.V)


class SynVecJax(bp.TwoEndConn):
    target_backend = 'jax'

    def __init__(self, pre, post, conn, tau, weight, E, **kwargs):
        super(SynVecJax, self).__init__(pre=pre, post=post, **kwargs)

        # parameters
        self.tau = tau
        self.weight = weight
        self.E = E

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = self.conn.requires('pre_ids', 'post_ids')
        self.num = len(self.pre_ids)

        # variables
        self.g = bm.Variable(bm.zeros(self.num))

        # function
        self.integral = bp.odeint(self.derivative)

    def derivative(self, g, t):
        dg = - g / self.tau
        return dg

    def update(self, _t, _dt):
        syn_sps = bm.pre2syn(self.pre.spike, self.pre_ids)
        self.g[:] = self.integral(self.g, _t) + syn_sps
        post_g = bm.syn2post(self.g, self.post_ids, self.post.num)
        self.post.input += post_g * (self.E - self.post.V)
