package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CommonPoolTest {

    @Test
    void aMachineOfTwoCoresGetsACommonPoolOfTwoThreads() {
        Properties properties = new Properties();
        CommonPool.atLeastTwoThreads(properties, 2);
        assertEquals("2", properties.getProperty(CommonPool.PARALLELISM));
    }

    @Test
    void aMachineWhoseDefaultPoolHasTwoThreadsOrMoreKeepsIt() {
        Properties properties = new Properties();
        CommonPool.atLeastTwoThreads(properties, 3);
        assertNull(properties.getProperty(CommonPool.PARALLELISM));
    }

    @Test
    void anOperatorsOwnSettingWins() {
        Properties properties = new Properties();
        properties.setProperty(CommonPool.PARALLELISM, "1");
        CommonPool.atLeastTwoThreads(properties, 1);
        assertEquals("1", properties.getProperty(CommonPool.PARALLELISM));
    }
}
