-- The SMART-protected /fhir endpoint: resources per partition (a hookInstance snapshot, or 'demo').

CREATE TABLE fhir_resources (
  partition text NOT NULL,
  type text NOT NULL,
  id text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  resource jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partition, type, id)
);

-- Demo data so a standalone launch has patients to choose from (fictional people).
INSERT INTO fhir_resources (partition, type, id, resource) VALUES
('demo', 'Patient', 'demo-patient-1', '{"resourceType":"Patient","id":"demo-patient-1","active":true,"name":[{"given":["Maria"],"family":"Demo"}],"gender":"female","birthDate":"1948-03-14"}'),
('demo', 'Patient', 'demo-patient-2', '{"resourceType":"Patient","id":"demo-patient-2","active":true,"name":[{"given":["Jon"],"family":"Sample"}],"gender":"male","birthDate":"1962-11-02"}'),
('demo', 'Practitioner', 'demo-practitioner', '{"resourceType":"Practitioner","id":"demo-practitioner","name":[{"given":["Dana"],"family":"Demo","prefix":["Dr."]}]}'),
('demo', 'Practitioner', 'demo-owner', '{"resourceType":"Practitioner","id":"demo-owner","name":[{"given":["Owen"],"family":"Demo"}]}'),
('demo', 'Encounter', 'demo-encounter-1', '{"resourceType":"Encounter","id":"demo-encounter-1","status":"in-progress","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/demo-patient-1"}}'),
('demo', 'MedicationRequest', 'demo-medrx-1', '{"resourceType":"MedicationRequest","id":"demo-medrx-1","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"855332","display":"warfarin sodium 5 MG Oral Tablet"}]},"subject":{"reference":"Patient/demo-patient-1"}}'),
('demo', 'MedicationRequest', 'demo-medrx-2', '{"resourceType":"MedicationRequest","id":"demo-medrx-2","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197361","display":"amlodipine 5 MG Oral Tablet"}]},"subject":{"reference":"Patient/demo-patient-2"}}'),
('demo', 'AllergyIntolerance', 'demo-allergy-1', '{"resourceType":"AllergyIntolerance","id":"demo-allergy-1","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},"code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7980","display":"penicillin G"}]},"patient":{"reference":"Patient/demo-patient-1"}}'),
('demo', 'Observation', 'demo-obs-1', '{"resourceType":"Observation","id":"demo-obs-1","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"6301-6","display":"INR"}]},"subject":{"reference":"Patient/demo-patient-1"},"valueQuantity":{"value":2.4}}'),
('demo', 'Observation', 'demo-obs-2', '{"resourceType":"Observation","id":"demo-obs-2","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":{"reference":"Patient/demo-patient-1"},"valueQuantity":{"value":72}}'),
('demo', 'Observation', 'demo-obs-3', '{"resourceType":"Observation","id":"demo-obs-3","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2160-0","display":"Creatinine"}]},"subject":{"reference":"Patient/demo-patient-2"},"valueQuantity":{"value":1.1}}');
