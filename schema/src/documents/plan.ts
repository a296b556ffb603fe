/**
 * The "Kế hoạch 2018–2023" tab's documents (issue 16): the gap view, the allocation's preview and
 * apply, a union's forecasts with their backtests and overrides, and the forecast run.
 */
import { graphql } from '../graphql.js';

export const PlanGapQuery = graphql(`
  query PlanGap($root: String!, $year: Int!, $indicator: String!) {
    planGap(root: $root, year: $year, indicator: $indicator) {
      union { code name level }
      today forecast allocated proposed approved neededRate historicalRate
      flags { code textVi textEn }
      columns { column value neededRate flags { code textVi textEn shortVi shortEn } }
    }
  }
`);

export const PreviewAllocationMutation = graphql(`
  mutation PreviewAllocation($goal: AllocationGoalInput!, $key: AllocationKey!, $root: String!) {
    previewAllocation(goal: $goal, key: $key, root: $root) {
      token root indicator writes goal allocatedGoal baseYear goalYear
      ratio { numerator denominator scale }
      rows {
        union { code name } parentCode depth today forecast allocated growthPerYear growthRate
        denominatorForecast impliedRatio notes { code indicator textVi textEn }
      }
    }
  }
`);

export const ApplyAllocationMutation = graphql(`
  mutation ApplyAllocation($previewToken: String!) {
    applyAllocation(previewToken: $previewToken) { proposed written unchanged }
  }
`);

export const PlanForecastsQuery = graphql(`
  query PlanForecasts($root: String!, $indicator: String!) {
    forecasts(root: $root, indicator: $indicator) {
      union { code name }
      method skipped stale computedAt computedBy explanationVi explanationEn
      methods { method skipped mape }
      values { year value }
      computedValues { year value }
      overrides { year value computedValue reason by at state stateVi stateEn }
    }
  }
`);

export const RunForecastsMutation = graphql(`
  mutation RunForecasts($root: String!) {
    runForecasts(root: $root) { forecasts skipped overridesKept overridesLapsed }
  }
`);

export const OverrideForecastMutation = graphql(`
  mutation OverrideForecast($unionCode: String!, $indicator: String!, $year: Int!, $value: Float!, $reason: String!) {
    overrideForecast(unionCode: $unionCode, indicator: $indicator, year: $year, value: $value, reason: $reason) { year value state }
  }
`);
