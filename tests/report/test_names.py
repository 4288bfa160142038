from gaitops.report.names import clinical_name, side_names


def test_gait_channels_get_their_clinical_names():
    assert clinical_name("L/knee/sagittal") == "left knee flexion-extension"
    assert clinical_name("R/foot_progression/transverse") == "right foot progression"
    assert clinical_name("R/pelvis/frontal") == "right pelvic obliquity"


def test_unknown_angles_and_tabular_features_keep_a_readable_name():
    assert clinical_name("L/trunk/sagittal") == "left trunk (sagittal)"
    assert clinical_name("time") == "time"


def test_sides_are_named_by_what_they_mean_when_the_data_says_so():
    sides = side_names("R = paretic, L = non-paretic")
    assert clinical_name("R/knee/sagittal", sides) == "paretic knee flexion-extension"
    assert clinical_name("L/hip/frontal", sides) == "non-paretic hip abduction-adduction"
    assert side_names("R: affected; L: unaffected") == {"L": "unaffected", "R": "affected"}
    assert side_names(None) == {"L": "left", "R": "right"}
