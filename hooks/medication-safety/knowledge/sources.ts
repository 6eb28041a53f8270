/**
 * Where every fact in this knowledge base comes from: the source letters of medication-kb.md in this
 * folder ("Legend for sources"), and the publications cited on cards.
 */

/** A source letter of medication-kb.md, defined by its "Legend for sources". */
export type SourceKey = 'S' | 'P' | 'O' | 'Z' | 'T';

/** How well a code is sourced (medication-kb.md "Confidence"). */
export type Confidence = 'high' | 'medium' | 'medium-low' | 'unsure';

/** A citation shown on cards: a label for `Card.source` and a resolvable reference URL. */
export interface Citation {
  label: string;
  /** Absolute URL of the reference (PubMed/PMC or the implementation guide's repository). */
  url: string;
  /** Open full text, when there is one (linked from cards). */
  fullTextUrl?: string;
  /** Full bibliographic text for the card detail. */
  text: string;
}

/** Phansalkar et al. 2012: the ONC high-priority DDI list (medication-kb.md §1). */
export const PHANSALKAR_2012: Citation = {
  label: 'ONC high-priority drug–drug interactions (Phansalkar et al., JAMIA 2012)',
  url: 'https://pubmed.ncbi.nlm.nih.gov/22539083/',
  fullTextUrl: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC3422823/',
  text:
    'Phansalkar S, Desai AA, Bell D, et al. High-priority drug–drug interactions for use in electronic health records. ' +
    'J Am Med Inform Assoc 2012;19(5):735–743. doi:10.1136/amiajnl-2011-000612. PMID 22539083.',
};

/** HL7 PDDI-CDS warfarin + NSAIDs exemplar (medication-kb.md §3.1; not one of the ONC 15). */
export const HL7_PDDI_CDS: Citation = {
  label: 'HL7 Potential Drug-Drug Interaction CDS IG: warfarin + NSAIDs (not an ONC high-priority DDI)',
  url: 'https://github.com/HL7/PDDI-CDS',
  text:
    'HL7 Potential Drug-Drug Interaction (PDDI) CDS Implementation Guide, warfarin + NSAIDs exemplar ' +
    '(input/cql/WarfarinNSAIDsCDSLogic.cql; value sets Warfarins, NSAIDs, PPIs and Misoprostols, History of GI Bleeds, ' +
    'Systemic Corticosteroids, Aldosterone Antagonists, Topical Diclofenac).',
};
