import type { CdsRequest } from '../../../src/cds/cds-types.js';
import medicationPrescribeStatinMacrolide from '../fixtures/not-ok/medication-prescribe-statin-macrolide.json' with { type: 'json' };
import orderSelectTizanidineCiprofloxacinDrafts from '../fixtures/not-ok/order-select-tizanidine-ciprofloxacin-drafts.json' with { type: 'json' };
import orderSignAtazanavirPpi from '../fixtures/not-ok/order-sign-atazanavir-ppi.json' with { type: 'json' };
import orderSignDrugAllergy from '../fixtures/not-ok/order-sign-drug-allergy.json' with { type: 'json' };
import orderSignDuplicateTherapy from '../fixtures/not-ok/order-sign-duplicate-therapy.json' with { type: 'json' };
import orderSignFebuxostatAzathioprine from '../fixtures/not-ok/order-sign-febuxostat-azathioprine.json' with { type: 'json' };
import orderSignRamelteonFluvoxamine from '../fixtures/not-ok/order-sign-ramelteon-fluvoxamine.json' with { type: 'json' };
import orderSignStatinMacrolide from '../fixtures/not-ok/order-sign-statin-macrolide.json' with { type: 'json' };
import orderSignStatinMacrolideAllergiesMissing from '../fixtures/not-ok/order-sign-statin-macrolide-allergies-missing.json' with { type: 'json' };
import orderSignTizanidineCiprofloxacin from '../fixtures/not-ok/order-sign-tizanidine-ciprofloxacin.json' with { type: 'json' };
import orderSignUncodedMedication from '../fixtures/not-ok/order-sign-uncoded-medication.json' with { type: 'json' };
import orderSignWarfarinNsaid from '../fixtures/not-ok/order-sign-warfarin-nsaid.json' with { type: 'json' };
import orderSelectOrderJustBegun from '../fixtures/ok/order-select-order-just-begun.json' with { type: 'json' };
import orderSignNearMiss from '../fixtures/ok/order-sign-near-miss-atorvastatin-clarithromycin.json' with { type: 'json' };
import orderSignNegativeControl from '../fixtures/ok/order-sign-negative-control-ibuprofen-simvastatin.json' with { type: 'json' };
import orderSignResolvedAllergy from '../fixtures/ok/order-sign-resolved-allergy-ibuprofen.json' with { type: 'json' };

const asRequest = (json: unknown): CdsRequest => json as CdsRequest;

/**
 * Test helper: the fixture requests by outcome and scenario name (= file name, which the EHR
 * simulator uses). ok = the service must answer no card; not-ok = at least one card is expected.
 */
export const FIXTURES = {
  ok: {
    'order-select-order-just-begun': asRequest(orderSelectOrderJustBegun),
    'order-sign-near-miss-atorvastatin-clarithromycin': asRequest(orderSignNearMiss),
    'order-sign-negative-control-ibuprofen-simvastatin': asRequest(orderSignNegativeControl),
    'order-sign-resolved-allergy-ibuprofen': asRequest(orderSignResolvedAllergy),
  },
  'not-ok': {
    'medication-prescribe-statin-macrolide': asRequest(medicationPrescribeStatinMacrolide),
    'order-select-tizanidine-ciprofloxacin-drafts': asRequest(orderSelectTizanidineCiprofloxacinDrafts),
    'order-sign-atazanavir-ppi': asRequest(orderSignAtazanavirPpi),
    'order-sign-drug-allergy': asRequest(orderSignDrugAllergy),
    'order-sign-duplicate-therapy': asRequest(orderSignDuplicateTherapy),
    'order-sign-febuxostat-azathioprine': asRequest(orderSignFebuxostatAzathioprine),
    'order-sign-ramelteon-fluvoxamine': asRequest(orderSignRamelteonFluvoxamine),
    'order-sign-statin-macrolide': asRequest(orderSignStatinMacrolide),
    'order-sign-statin-macrolide-allergies-missing': asRequest(orderSignStatinMacrolideAllergiesMissing),
    'order-sign-tizanidine-ciprofloxacin': asRequest(orderSignTizanidineCiprofloxacin),
    'order-sign-uncoded-medication': asRequest(orderSignUncodedMedication),
    'order-sign-warfarin-nsaid': asRequest(orderSignWarfarinNsaid),
  },
} as const;
