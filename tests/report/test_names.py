from gaitops.report.names import clinical_name


def test_gait_channels_get_their_clinical_names():
    assert clinical_name("L/knee/sagittal") == "left knee flexion-extension"
    assert clinical_name("R/foot_progression/transverse") == "right foot progression"
    assert clinical_name("R/pelvis/frontal") == "right pelvic obliquity"


def test_unknown_angles_and_tabular_features_keep_a_readable_name():
    assert clinical_name("L/trunk/sagittal") == "left trunk (sagittal)"
    assert clinical_name("time") == "time"
