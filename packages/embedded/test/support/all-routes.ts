import { analyticsMatrix } from '../matrix/analytics';
import { cargoMatrix } from '../matrix/cargo';
import { casesMatrix } from '../matrix/cases';
import { flightsMatrix } from '../matrix/flights';
import { knowledgeMatrix } from '../matrix/knowledge';
import { loyaltyMatrix } from '../matrix/loyalty';
import { operationsMatrix } from '../matrix/operations';
import { partnersMatrix } from '../matrix/partners';
import { passenger360Matrix } from '../matrix/passenger-360';
import { passengersMatrix } from '../matrix/passengers';
import { platformMatrix } from '../matrix/platform';
import type { MatrixEntry } from '../matrix/types';

/** Every route's matrix entry: who may call it, and one valid request for it. */
export const MATRIX: readonly MatrixEntry[] = [
  ...platformMatrix,
  ...passengersMatrix,
  ...passenger360Matrix,
  ...casesMatrix,
  ...knowledgeMatrix,
  ...loyaltyMatrix,
  ...partnersMatrix,
  ...flightsMatrix,
  ...operationsMatrix,
  ...cargoMatrix,
  ...analyticsMatrix,
];
