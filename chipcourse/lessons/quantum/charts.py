"""Charts for lesson 03, Qubits, gates and cold fridges."""

from __future__ import annotations

import math

import pandas as pd

from ...chart_layout import Axis, dodge, label_layers, log_domain, place_labels
from ...charting import alt, MUTED_TEXT, PALETTE, TEXT, described
from . import quantum

_VENDOR_ORDER = ["IBM", "Google", "Honeywell", "Quantinuum", "IonQ", "Rigetti", "Atom Computing",
                 "RIKEN", "Fujitsu / RIKEN"]

#: Vega's eight symbols and a star, so nine vendors never share a colour and a shape
_SHAPES = ["circle", "square", "cross", "diamond", "triangle-up", "triangle-down", "triangle-right",
           "triangle-left", "M0,-1L0.29,-0.4L0.95,-0.31L0.47,0.15L0.59,0.81L0,0.5L-0.59,0.81L-0.47,0.15"
           "L-0.95,-0.31L-0.29,-0.4Z"]

#: what the two simulator charts say they are drawn from (they show no data table)
SIMULATOR_SOURCE = "Computed with chipcourse.quantum, the course's state-vector simulator (shots seeded)."


def qubits_and_quantum_volume(processors) -> alt.HConcatChart:
    """Two panels: physical qubits by year (log axis) and quantum volume by year (log axis).

    IBM's processor families are labelled in the left panel; in the right panel machines
    reported in the same year stand side by side.
    """
    vendors = [v for v in _VENDOR_ORDER if v in set(processors["vendor"])]
    vendors += [v for v in dict.fromkeys(processors["vendor"]) if v not in vendors]
    # more vendors than colours: the colours repeat, but every vendor has a shape of its own
    color = alt.Color("vendor:N", scale=alt.Scale(domain=vendors, range=PALETTE), title="Vendor")
    shape = alt.Shape("vendor:N", scale=alt.Scale(domain=vendors, range=_SHAPES), title="Vendor")
    counts = processors.dropna(subset=["year", "qubits"])[["vendor", "processor", "year", "qubits", "source"]].copy()
    # machines of the same year and size stand side by side (Condor and Atom Computing's 1,180
    # qubits, both 2023), and each family's name goes where it covers no marker (chipcourse.chart_layout)
    width, height = 340, 300
    x_axis = Axis((float(counts["year"].min()) - 0.7, float(counts["year"].max()) + 0.7), width)
    # a little room beyond the smallest and largest, so no marker sits on the plot's edge
    y_axis = Axis(log_domain(counts["qubits"].min() / 1.2, counts["qubits"].max() * 1.2), height, log=True,
                  reverse=True)
    counts["year_shown"] = dodge(counts["year"], counts["qubits"], x_axis, y_axis,
                                 order=[vendors.index(v) for v in counts["vendor"]])
    families = counts[(counts["vendor"] == "IBM")
                      & counts["processor"].str.match(r"^(Falcon|Hummingbird|Eagle|Osprey|Condor|Heron r1|Nighthawk)")].copy()
    families["place"] = place_labels(
        [(x_axis.to_px(x), y_axis.to_px(q), name) for x, q, name in
         zip(families["year_shown"], families["qubits"], families["processor"])],
        [(x_axis.to_px(x), y_axis.to_px(q)) for x, q in zip(counts["year_shown"], counts["qubits"])], width, height)
    volumes = processors.dropna(subset=["quantum_volume", "qv_year"])[
        ["vendor", "processor", "qv_year", "qubits", "quantum_volume", "source"]]
    year_axis = alt.Axis(format="d", tickMinStep=1, values=sorted(set(counts["year"].astype(int))))
    x = alt.X("year_shown:Q", title="Year announced", axis=year_axis, scale=alt.Scale(domain=list(x_axis.domain)))
    y = alt.Y("qubits:Q", scale=alt.Scale(type="log", domain=list(y_axis.domain)), title="Physical qubits (log scale)")
    points = alt.Chart(counts).mark_point(filled=True, size=80, opacity=0.85).encode(
        x=x, y=y, color=color, shape=shape,
        tooltip=["vendor:N", "processor:N", alt.Tooltip("year:Q", format="d"),
                 alt.Tooltip("qubits:Q", title="qubits"), "source:N"])
    names = label_layers(families, x=x, y=y, x_field="year_shown", y_field="qubits", text_field="processor",
                         x_axis=x_axis, y_axis=y_axis, font_px=11, color=TEXT, line_color=MUTED_TEXT)
    left = alt.layer(points, *names).properties(width=width, height=height, title="How many qubits")
    qv_values = [4 ** k for k in range(1, 11)]
    right = alt.Chart(volumes).mark_point(filled=True, size=90, opacity=0.9).encode(
        x=alt.X("qv_year:O", title="Year reported", axis=alt.Axis(labelAngle=0, labelOverlap=False)),
        xOffset=alt.XOffset("vendor:N", scale=alt.Scale(domain=[v for v in vendors if v in set(volumes["vendor"])])),
        y=alt.Y("quantum_volume:Q", scale=alt.Scale(type="log", base=2, domain=[
                    2 ** (math.log2(volumes["quantum_volume"].min()) - 1),
                    2 ** (math.log2(volumes["quantum_volume"].max()) + 1)]),
                axis=alt.Axis(values=qv_values, format=",d"), title="Quantum volume (log scale)"),
        color=color, shape=shape,
        tooltip=["vendor:N", "processor:N", alt.Tooltip("qv_year:Q", format="d", title="year reported"),
                 alt.Tooltip("qubits:Q", title="qubits"), alt.Tooltip("quantum_volume:Q", title="quantum volume"),
                 "source:N"],
    ).properties(width=210, height=300, title="How good: quantum volume")
    return described(
        alt.hconcat(left, right).resolve_scale(color="shared", shape="shared"),
        "Left: the physical qubit count of each processor in the table by the year it was "
        "announced, on a logarithmic axis, coloured by vendor, with IBM's processor families "
        "named; machines of the same year and size stand side by side. Right: quantum volumes reported for some machines, by year, on a logarithmic "
        "axis. The processors with the most qubits are not the machines with the highest "
        "quantum volume.", ["quantum_processors"])


def cooling_needed(facts) -> alt.LayerChart:
    """Chance that heat alone excites a qubit, by temperature, for the typical frequency range.

    Lines from :func:`chipcourse.quantum.thermal_excitation` at the low and high ends of the
    ``quantum_facts`` frequency range; vertical rules at the fridge and outer-space
    temperatures; diamonds at the measured excited-state populations.
    """
    f_low, f_high = quantum.fact(facts, "qubit_frequency_low"), quantum.fact(facts, "qubit_frequency_high")
    temps = [10 ** (k / 40) for k in range(-100, 41)]  # 3 mK to 10 K
    curves = pd.DataFrame([
        {"temperature_k": t, "p_excited": quantum.thermal_excitation(f, t),
         "qubit": f"qubit at {f:g} GHz"} for f in (f_low, f_high) for t in temps])
    marks = pd.DataFrame([
        {"temperature_k": quantum.to_kelvin(quantum.fact(facts, key), unit), "label": label}
        for key, unit, label in (("ibm_fridge_low", "mK", "IBM fridge"),
                                 ("cmb_temperature", "K", "outer space (CMB)"))])
    measured = pd.DataFrame([
        {"temperature_k": quantum.to_kelvin(t, "mK"), "p_excited": quantum.fact(facts, key) / 100,
         "what": "measured on a transmon"}
        for key, t in (("excited_population_50mK", 50), ("excited_population_200mK", 200))])
    qubits = [f"qubit at {f_low:g} GHz", f"qubit at {f_high:g} GHz"]
    x = alt.X("temperature_k:Q", scale=alt.Scale(type="log", domain=[0.003, 10]),
              title="Temperature (kelvin, log scale)")
    lines = alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
        x=x, y=alt.Y("p_excited:Q", title="Chance heat leaves the qubit in |1⟩",
                     scale=alt.Scale(domain=[0, 0.5])),
        # one legend for colour and dash: both channels need the same scale domain to merge
        color=alt.Color("qubit:N", title=None, scale=alt.Scale(domain=qubits)),
        strokeDash=alt.StrokeDash("qubit:N", title=None, scale=alt.Scale(domain=qubits)),
        tooltip=[alt.Tooltip("temperature_k:Q", format=".3g", title="temperature (K)"),
                 alt.Tooltip("p_excited:Q", format=".2g", title="chance of |1⟩"), "qubit:N"])
    rules = alt.Chart(marks).mark_rule(strokeDash=[5, 4], color=MUTED_TEXT).encode(x=x)
    labels = alt.Chart(marks).mark_text(angle=270, align="right", dx=-6, dy=-6, color=TEXT).encode(
        x=x, y=alt.value(6), text="label:N")
    points = alt.Chart(measured).mark_point(shape="diamond", filled=True, size=110, color=PALETTE[5]).encode(
        x=x, y="p_excited:Q", tooltip=["what:N", alt.Tooltip("temperature_k:Q", format=".3g"),
                                       alt.Tooltip("p_excited:Q", format=".0%")])
    measured_labels = alt.Chart(measured).mark_text(align="left", dx=9, color=TEXT).encode(
        x=x, y="p_excited:Q", text=alt.value("measured"))
    return described(
        alt.layer(lines, rules, labels, points, measured_labels).properties(
            width=520, height=300, title="Why the fridge: heat flips qubits unless it is very cold"),
        "The chance that heat alone puts a qubit in state 1, against temperature on a "
        "logarithmic axis, for qubits at the low and high ends of the typical frequency range. "
        "At the fridge temperature the chance is tiny; at the temperature of outer space it is "
        "close to one half, a coin toss. Diamonds mark excited populations measured on a real "
        "transmon, which follow the curves.", ["quantum_facts"])


def _circle() -> pd.DataFrame:
    return pd.DataFrame({"a": [math.cos(math.radians(d)) for d in range(0, 361, 6)],
                         "b": [math.sin(math.radians(d)) for d in range(0, 361, 6)],
                         "order": list(range(0, 361, 6))})


def bloch_projections(theta_deg: float = 60.0, phi_deg: float = 45.0) -> alt.HConcatChart:
    """The Bloch vector seen from the side (x–z) and from above (x–y), moved by two parameters.

    The Vega parameters ``theta_deg`` and ``phi_deg`` place the arrow, so a widget moves it
    without redrawing (:func:`chipcourse.widgets.set_param`).
    """
    theta = alt.param(name="theta_deg", value=float(theta_deg))
    phi = alt.param(name="phi_deg", value=float(phi_deg))
    calc = {"bx": "sin(theta_deg * PI / 180) * cos(phi_deg * PI / 180)",
            "by": "sin(theta_deg * PI / 180) * sin(phi_deg * PI / 180)",
            "bz": "cos(theta_deg * PI / 180)"}
    domain = alt.Scale(domain=[-1.3, 1.3], nice=False)

    def view(horizontal: str, vertical: str, h_title: str, v_title: str, poles: list[dict], title: str):
        circle = alt.Chart(_circle()).mark_line(color="#999999").encode(
            x=alt.X("a:Q", scale=domain, title=h_title), y=alt.Y("b:Q", scale=domain, title=v_title),
            order="order:Q")
        pole_marks = alt.Chart(pd.DataFrame(poles)).mark_text(fontSize=13, color=TEXT).encode(
            x=alt.X("a:Q", scale=domain), y=alt.Y("b:Q", scale=domain), text="label:N")
        base = alt.Chart(pd.DataFrame({"o": [0.0]})).transform_calculate(**calc)
        arrow = base.mark_rule(strokeWidth=3, color=PALETTE[0]).encode(
            x=alt.X("o:Q", scale=domain), y=alt.Y("o:Q", scale=domain),
            x2=f"{horizontal}:Q", y2=f"{vertical}:Q")
        tip = base.mark_point(filled=True, size=120, color=PALETTE[5]).encode(
            x=alt.X(f"{horizontal}:Q", scale=domain), y=alt.Y(f"{vertical}:Q", scale=domain),
            tooltip=[alt.Tooltip("bx:Q", format=".2f", title="x"), alt.Tooltip("by:Q", format=".2f", title="y"),
                     alt.Tooltip("bz:Q", format=".2f", title="z")])
        return alt.layer(circle, pole_marks, arrow, tip).properties(width=220, height=220, title=title)

    side = view("bx", "bz", "x", "z", [{"a": 0, "b": 1.17, "label": "|0⟩"}, {"a": 0, "b": -1.17, "label": "|1⟩"},
                                        {"a": 1.17, "b": 0, "label": "|+⟩"}, {"a": -1.17, "b": 0, "label": "|−⟩"}],
                "Side view (x–z)")
    top = view("bx", "by", "x", "y", [{"a": 1.17, "b": 0, "label": "|+⟩"}, {"a": -1.17, "b": 0, "label": "|−⟩"},
                                       {"a": 0, "b": 1.17, "label": "|+i⟩"}, {"a": 0, "b": -1.17, "label": "|−i⟩"}],
               "Top view (x–y)")
    chart = alt.hconcat(side, top).add_params(theta, phi)
    return chart.properties(description=(
        "The qubit's Bloch vector as an arrow, drawn twice: from the side, with |0⟩ at the top and "
        "|1⟩ at the bottom, and from above, where the arrow's direction is the phase φ."))


def shot_histogram(counts: dict, probabilities: dict) -> alt.LayerChart:
    """Bars of measured shots per outcome, with ticks at the counts the probabilities predict.

    Up to four outcomes (one or two qubits). The counts, probabilities and number of
    outcomes are Vega parameters (``count_0`` … ``count_3``, ``prob_0`` … ``prob_3``,
    ``n_outcomes``, ``shots``), so a widget updates the bars without redrawing.
    """
    labels = list(counts)
    if not 2 <= len(labels) <= 4 or list(probabilities) != labels:
        raise ValueError("The histogram shows one or two qubits: 2 or 4 outcomes, the same in counts and "
                         "probabilities.")
    params = [alt.param(name="n_outcomes", value=len(labels)),
              alt.param(name="shots", value=int(sum(counts.values())))]
    padded_counts = [int(c) for c in counts.values()] + [0] * (4 - len(labels))
    padded_probs = [float(p) for p in probabilities.values()] + [0.0] * (4 - len(labels))
    params += [alt.param(name=f"count_{i}", value=padded_counts[i]) for i in range(4)]
    params += [alt.param(name=f"prob_{i}", value=padded_probs[i]) for i in range(4)]
    base = (alt.Chart(pd.DataFrame({"i": [0, 1, 2, 3]}))
            .transform_filter("datum.i < n_outcomes")
            .transform_calculate(
                outcome="n_outcomes == 2 ? ['|0⟩', '|1⟩'][datum.i] : ['|00⟩', '|01⟩', '|10⟩', '|11⟩'][datum.i]",
                count="[count_0, count_1, count_2, count_3][datum.i]",
                expected="[prob_0, prob_1, prob_2, prob_3][datum.i] * shots",
                probability="[prob_0, prob_1, prob_2, prob_3][datum.i]"))
    x = alt.X("outcome:N", title="Outcome", sort=None, axis=alt.Axis(labelAngle=0))
    bars = base.mark_bar(color=PALETTE[0], opacity=0.85).encode(
        x=x, y=alt.Y("count:Q", title="Shots with this outcome"),
        tooltip=["outcome:N", alt.Tooltip("count:Q", title="shots"),
                 alt.Tooltip("probability:Q", format=".3f"), alt.Tooltip("expected:Q", format=".1f")])
    ticks = base.mark_tick(color=PALETTE[5], thickness=3, size=40).encode(x=x, y="expected:Q")
    return alt.layer(bars, ticks).add_params(*params).properties(
        width=300, height=200, title="Measured shots (bars) and what the probabilities predict (ticks)",
        description="A bar for each outcome with the number of shots that gave it; an orange tick marks "
                    "probability × shots, the count the Born rule predicts.")
